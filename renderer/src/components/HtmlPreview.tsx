// An HTML body drawn in a sandboxed frame: no scripts, forms or same-origin access.
// The preview document may load nothing (no scripts, no remote images or fonts, no forms): its own
// policy on top of the app's, which a sandboxed srcdoc frame also inherits.
const PREVIEW_CSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:">`;

export function HtmlPreview({ html }: { html: string }): React.JSX.Element {
  return <iframe className="html-preview" title="HTML preview" sandbox="" srcDoc={`${PREVIEW_CSP}${html}`} data-testid="html-preview" />;
}
