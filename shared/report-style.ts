// The report page's stylesheet, and its CSP hash: the Reports screen previews the page in a
// sandboxed srcdoc iframe, which inherits the app's CSP (style-src 'self'), so the app's policy
// allows exactly this one inline stylesheet by hash (test/unit/reports.test.ts checks the hash).
export const REPORT_CSS = `
@page { size: A4; margin: 14mm 12mm; }
body { font: 10.5pt/1.4 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; margin: 0; }
header { display: flex; justify-content: space-between; align-items: center; border-bottom: 2px solid #1f2328; padding-bottom: 8px; margin-bottom: 12px; }
header img { max-height: 48px; max-width: 180px; }
h1 { font-size: 18pt; margin: 0; } h2 { font-size: 13pt; margin: 18px 0 6px; break-after: avoid; }
.muted { color: #656d76; } .unknown { color: #656d76; font-style: italic; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 8px; }
.card b { font-size: 14pt; margin-right: 6px; } .card span { font-size: 8.5pt; color: #656d76; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; break-inside: auto; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
th { background: #f6f8fa; } tr { break-inside: avoid; }
.b { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 8.5pt; font-weight: 600; }
.good { background: #dafbe1; color: #116329; } .warning { background: #fff8c5; color: #7d4e00; }
.bad { background: #ffebe9; color: #a40e26; } .b.unknown, .b.na { background: #eaeef2; color: #424a53; font-style: normal; }
svg text { font-size: 9px; fill: #656d76; } section { break-inside: avoid-page; }
.legend { font-size: 8.5pt; color: #424a53; } .legend span { margin-right: 12px; }
.legend svg { vertical-align: -1px; }
@media screen { body { padding: 16px 20px; } }
`;

export const REPORT_CSS_HASH = "'sha256-sb4yjkoL7uh+vzG/eLUrhK/rS+VOvYVJ+1EJEcaT2Ls='";
