package org.widerobust.plugin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The report's settings read as the command line spells them: a new user's report showed "widths [1.0, 2.0, 4.0,
 * 8.0]" and "--lipschitz=null" for the flag {@code --lipschitz}.
 */
class HtmlReportSettingsTest {
    @Test
    void settingsAreSpelledAsOnTheCommandLine() {
        assertEquals("[1, 2, 4, 8]", HtmlReport.setting(List.of(1.0, 2.0, 4.0, 8.0)));
        assertEquals("[0.5, 6]", HtmlReport.setting(List.of(0.5, 6.0)));
        Map<String, Object> eval = new LinkedHashMap<>();
        eval.put("--steps", "20");
        eval.put("--step-size", 0.01);
        eval.put("--lipschitz", null);
        assertEquals("{--steps=20, --step-size=0.01, --lipschitz}", HtmlReport.setting(eval));
        assertEquals("mlp", HtmlReport.setting("mlp"));
    }
}
