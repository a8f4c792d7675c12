package org.widerobust.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;

/** Typed option values and their errors. */
class ArgsTest {
    private static CommandLine parse(String... args) throws ParseException {
        Options o = new Options().addOption(Option.builder().longOpt("n").hasArg().build());
        return new DefaultParser().parse(o, args);
    }

    @Test
    void wholeNumbersParseWithDefaultsAndSpaces() throws ParseException {
        assertEquals(7, Args.intValue(parse(), "n", 7));
        assertEquals(12, Args.intValue(parse("--n", " 12 "), "n", 7));
        assertEquals(12_000_000_000L, Args.longValue(parse("--n", "12000000000"), "n", 1));
    }

    @Test
    void badWholeNumbersNameTheOptionAndTheValue() {
        CliException notANumber = assertThrows(CliException.class, () -> Args.intValue(parse("--n", "abc"), "n", 1));
        assertTrue(notANumber.getMessage().contains("--n takes a whole number, got 'abc'"), notANumber.getMessage());
        CliException outOfRange = assertThrows(CliException.class,
                () -> Args.intValue(parse("--n", "12000000000"), "n", 1));
        assertTrue(outOfRange.getMessage().contains("--n is out of range, got '12000000000'"), outOfRange.getMessage());
    }
}
