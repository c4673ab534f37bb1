/**
 * The look the kit's HTML reports share (the drift report, the client report): colours, type, the verdict banner,
 * the facts line and tables. Each report adds the styles of its own sections after it.
 */
export const REPORT_PAGE_STYLE = `
:root { color-scheme: light; --ok: #1a7f37; --ok-bg: #dafbe1; --warn: #9a6700; --warn-bg: #fff8c5; --bad: #cf222e;
  --bad-bg: #ffebe9; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa;
  --contract: #8250df; --decision: #0969da; --behaviour: #bc4c00; --latency: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #1f2328; background: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.05rem; margin: 0 0 2px; overflow-wrap: anywhere; }
h4 { font-size: 0.85rem; margin: 0 0 4px; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.85rem; }
.verdict { border-radius: 8px; padding: 14px 18px; border-left: 8px solid; }
.verdict-0 { background: var(--ok-bg); border-color: var(--ok); }
.verdict-1 { background: var(--bad-bg); border-color: var(--bad); }
.verdict-2 { background: var(--warn-bg); border-color: var(--warn); }
.verdict .message { margin: 4px 0 8px; overflow-wrap: anywhere; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 0; color: var(--muted); font-size: 0.9rem; }
.facts div { display: flex; gap: 6px; min-width: 0; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
footer { margin-top: 24px; color: var(--muted); font-size: 0.85rem; display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; }
`;
