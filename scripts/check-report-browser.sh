#!/usr/bin/env bash
# Browser check of a study report: renders report.html in headless Chromium (Debian's `chromium` package) and
# checks that it has its findings and that every chart image was decoded by the browser (complete, naturalWidth > 0).
# Also writes a screenshot next to the report (report.png) for a person to look at.
#   scripts/check-report-browser.sh runs/quick/report.html
# Needs: apt-get install chromium (about 120 MB download, 475 MB installed on Debian 12). Installs nothing itself.
# Exit codes: 0 the report rendered with all charts; 1 it did not; 2 usage or no chromium.
set -euo pipefail
report="${1:?usage: $0 REPORT.html}"
[ -f "$report" ] || { echo "check-report-browser: no file $report" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "check-report-browser: needs Chromium (apt-get install chromium)" >&2; exit 2; }
report="$(readlink -f "$report")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A checker page loads the report in a same-origin frame (file URLs are one origin with
# --allow-file-access-from-files), waits for it, and writes its verdict into its own DOM, which --dump-dom prints.
cat > "$work/check.html" <<HTML
<!DOCTYPE html><html><body><pre id="verdict">PENDING</pre>
<iframe id="r" src="file://$report" style="width:1200px;height:900px"></iframe>
<script>
document.getElementById('r').addEventListener('load', function () {
  var d = this.contentDocument, v = document.getElementById('verdict');
  if (!d) { v.textContent = 'FAIL cannot read the report document'; return; }
  var imgs = Array.prototype.slice.call(d.querySelectorAll('img.chart'));
  var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); });
  var findings = d.getElementById('findings') !== null;
  var ok = imgs.length > 0 && broken.length === 0 && findings;
  v.textContent = (ok ? 'OK' : 'FAIL') + ' charts=' + imgs.length + ' broken=' + broken.length
      + ' findings=' + findings + ' title=' + d.title;
});
</script></body></html>
HTML
flags=(--headless --no-sandbox --disable-gpu --allow-file-access-from-files --virtual-time-budget=10000
       --user-data-dir="$work/profile")
out="$(timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$work/check.html" 2>"$work/stderr" || true)"
verdict="$(printf '%s' "$out" | sed -n 's/.*<pre id="verdict">\([^<]*\)<\/pre>.*/\1/p' | head -n 1)"
timeout 120 "$browser" "${flags[@]}" --window-size=1200,3000 --screenshot="$(dirname "$report")/report.png" \
    "file://$report" >/dev/null 2>&1 || true
echo "check-report-browser: ${verdict:-no verdict} ($report)"
case "$verdict" in
  OK*) exit 0 ;;
  *) echo "check-report-browser: Chromium said:" >&2; tail -n 20 "$work/stderr" >&2; exit 1 ;;
esac
