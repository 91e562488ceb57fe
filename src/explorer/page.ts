/** The explorer's HTML shell: the layout's empty containers; client/main.ts fills them. */
export function pageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>station-harness explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/_explorer/explorer.css">
</head>
<body>
<header class="top">
  <h1>station-harness <span>explorer</span></h1>
  <div id="clock" class="clock" title="The world's clock: real time plus what you advanced">clock …</div>
  <div id="actions" class="actions"></div>
</header>
<div id="notice" class="notice" hidden></div>
<main class="layout">
  <nav id="operations" class="operations" aria-label="Operations"></nav>
  <section id="workbench" class="workbench" aria-label="Request and answer"></section>
  <section id="side" class="side" aria-label="Log, sequence and world"></section>
</main>
<script src="/_explorer/explorer.js"></script>
</body>
</html>
`;
}
