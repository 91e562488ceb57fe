/** The inline stylesheet and script of report.html (no network: the page is one offline file). */

export const CSS = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1d2433;--mute:#6b7385;--line:#e3e6ec;--pass:#1f9d55;--fail:#d64545;--err:#b7791f;--skip:#8a94a6;--accent:#0b5cad}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--ink)}
a{color:var(--accent)}
header{background:linear-gradient(120deg,#0b3d6e,#0b5cad);color:#fff;padding:16px 32px 40px}
header h1{margin:0 0 4px;font-size:20px;font-weight:600}header .meta{opacity:.85;font-size:13px}
main{max-width:1200px;margin:0 auto;padding:0 24px 60px}
.summary{background:var(--card);border-radius:10px;margin:-28px 0 14px;padding:12px 16px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.cards{display:flex;gap:10px;flex-wrap:wrap}
.card{border-radius:8px;padding:4px 14px;min-width:96px;background:#f4f6fa}
.card b{display:block;font-size:22px}.card span{color:var(--mute);font-size:11px;text-transform:uppercase;letter-spacing:.05em}
.card.passed b{color:var(--pass)}.card.failed b{color:var(--fail)}.card.errored b{color:var(--err)}.card.skipped b{color:var(--skip)}.card.fcard b{color:#b7791f}
.facts{margin:8px 0 0;font-size:13px;color:#36405a}.facts div{margin:2px 0}.facts .k{color:var(--mute);display:inline-block;min-width:150px}
.prim{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.bar{display:flex;height:6px;border-radius:3px;overflow:hidden;background:var(--line);margin-top:10px}
.bar i{display:block}.bar .passed{background:var(--pass)}.bar .failed{background:var(--fail)}.bar .errored{background:var(--err)}.bar .skipped{background:var(--skip)}
.banner{background:#fff4e0;border:1px solid #f0d9a8;border-radius:8px;padding:6px 12px;margin:0 0 10px;font-weight:600;color:#7a4b00}
.index{background:var(--card);border-radius:10px;padding:8px 14px;margin-bottom:12px;box-shadow:0 1px 2px rgba(0,0,0,.06);font-size:13px}
.index ol{margin:4px 0 0;padding-left:20px}.index li{margin:2px 0}
.filters{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin-bottom:12px;background:var(--card);padding:8px 12px;border-radius:10px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.filters button{border:1px solid var(--line);background:#fff;border-radius:16px;padding:3px 11px;cursor:pointer;font:inherit}
.filters button.on{background:var(--accent);border-color:var(--accent);color:#fff}
.filters select,.filters input{border:1px solid var(--line);border-radius:6px;padding:4px 8px;font:inherit}.filters select{max-width:170px}.filters input{flex:1;min-width:160px}
h2.sec{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:var(--mute);margin:18px 0 8px}
.cause{background:#fff;border:1px solid #f3c4c4;border-left:5px solid var(--fail);border-radius:10px;padding:10px 14px;margin:14px 0 8px}
.cause.errored{border-color:#f0d9a8;border-left-color:var(--err)}
.cause .ch{font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.05em;color:var(--fail)}.cause.errored .ch{color:var(--err)}
.cname{margin:4px 0}.reason{white-space:pre-wrap;margin:4px 0}.who{font-size:12px;color:var(--mute);margin-top:6px}
.rule{font-size:11px;font-weight:700;background:#eef2f8;color:#33507a;border-radius:4px;padding:1px 6px}
details.case{background:var(--card);border-radius:10px;margin-bottom:6px;box-shadow:0 1px 2px rgba(0,0,0,.07);border-left:5px solid var(--skip)}
details.case.passed{border-left-color:var(--pass)}details.case.failed{border-left-color:var(--fail)}details.case.errored{border-left-color:var(--err)}
details.case>summary{list-style:none;cursor:pointer;padding:7px 14px;display:flex;gap:10px;align-items:center}
details.case>summary::-webkit-details-marker{display:none}
.badge{font-size:11px;font-weight:700;text-transform:uppercase;border-radius:4px;padding:2px 7px;color:#fff;letter-spacing:.04em}
.badge.passed{background:var(--pass)}.badge.failed{background:var(--fail)}.badge.errored{background:var(--err)}.badge.skipped{background:var(--skip)}
.cid{font-family:ui-monospace,Menlo,Consolas,monospace;color:var(--mute);font-size:12px}.title{font-weight:600;flex:1 1 300px;min-width:0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
details[open]>summary>.title{white-space:normal}.where{margin:4px 0}.where .tag{margin-left:4px}
details.file{background:var(--card);border-radius:10px;margin-bottom:6px;box-shadow:0 1px 2px rgba(0,0,0,.07)}
details.file>summary{cursor:pointer;padding:8px 14px;font-size:13px}details.file>summary b{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
details.file>.cases{padding:0 8px 4px}details.file details.case{box-shadow:none;border:1px solid var(--line);border-left-width:5px}
.tag{font-size:11px;background:#eef2f8;color:#33507a;border-radius:10px;padding:1px 8px}.tc{background:#fff4e0;color:#8a5a00}.cref{background:#fde8e8;color:#a02a2a}.dur{color:var(--mute);font-size:12px}
.body{padding:0 18px 14px}.body h3{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--mute);margin:14px 0 6px}
.root{background:#fff5f5;border:1px solid #f3c4c4;border-radius:8px;padding:8px 12px;margin:4px 0 8px}.rc-h{font-size:12px;color:#6b3a3a}
.problem.skipped{background:#f5f6f8;border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin:4px 0 8px}
details.knock{margin-top:6px;font-size:13px}details.knock summary{cursor:pointer;color:#6b3a3a}details.knock ul{margin:4px 0;padding-left:20px;color:#5a2222}
table.mm{border-collapse:collapse;width:100%;font-size:13px;margin-top:4px}table.mm td{padding:2px 8px;vertical-align:top;border-top:1px solid #f1dede}
table.mm td:first-child{width:80px;color:var(--mute)}.exp{color:var(--pass);font-family:ui-monospace,monospace}.act{color:var(--fail);font-family:ui-monospace,monospace;word-break:break-word}
ol.steps{margin:0;padding-left:22px}ol.steps li{margin:3px 0}ol.steps .checks{list-style:none;padding-left:6px;margin:2px 0 6px;font-size:13px}
.ok{color:var(--pass)}.ko{color:var(--fail)}.err{color:var(--err)}
.seq{overflow-x:auto;border:1px solid var(--line);border-radius:8px;background:#fbfcfe}.seq a{cursor:pointer}
details.msg{border:1px solid var(--line);border-radius:8px;margin:6px 0;background:#fff}details.msg>summary{cursor:pointer;padding:6px 10px;font-size:13px}
details.msg.bad{border-color:#f3c4c4}details.msg:target{outline:2px solid var(--accent)}.pair>div{min-width:0}.pair{display:grid;grid-template-columns:1fr 1fr;gap:8px;padding:0 8px 8px}@media(max-width:900px){.pair{grid-template-columns:1fr}}
pre.xml{margin:0;background:#0f1623;color:#d7dde8;border-radius:6px;padding:8px 0;overflow:auto;font:12px/1.5 ui-monospace,Menlo,Consolas,monospace;max-height:420px}
pre.xml .ln{display:inline-block;width:34px;text-align:right;margin-right:10px;color:#5b667a;user-select:none}
pre.xml .l{display:block;padding:0 8px}pre.xml .l.issue{background:#5a1d1d}pre.xml .im{display:block;background:#3a1414;color:#ffb4b4;padding:2px 8px 2px 52px;white-space:pre-wrap}
.xt{color:#7fb4ff}.xa{color:#c3a6ff}.xv{color:#a5e8a1}.cap{font-size:12px;color:var(--mute);margin:6px 0 4px}
.findings{background:#fffbea;border:1px solid #f0d9a8;border-radius:8px;padding:8px 12px;margin:8px 0}.findings ul{margin:4px 0 0;padding-left:18px}.findings li{margin:3px 0}
.sev{font-size:10.5px;font-weight:700;text-transform:uppercase;border-radius:4px;padding:1px 6px;margin-right:4px;color:#fff;background:#b7791f}.sev.info{background:#5a6b85}.fcode{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.tag.fnd{background:#fff4e0;color:#8a5a00}
.notes{font-size:12px;color:#5a4a00;background:#fffbea;border-radius:6px;padding:4px 8px;margin:4px 8px}
footer{color:var(--mute);font-size:12px;text-align:center;margin-top:30px}
`;

/**
 * Filters (state, tag, findings, search), cause cards hidden with their scenarios, and the lazy
 * part of each case: the compressed JSON in #lazy (gzip, base64) is inflated once, with the
 * browser's DecompressionStream, when a case is first opened.
 */
export const JS = `
(function(){
var st='all',tag='',q='',fnd=false,data=null,pending=null;
function cases(){return document.querySelectorAll('details.case');}
function apply(){var n=0,seen={};cases().forEach(function(d){var ok=(st==='all'||d.dataset.state===st)&&(!fnd||d.dataset.findings!=='0')&&(!tag||(' '+d.dataset.tags+' ').indexOf(' '+tag+' ')>=0)&&(!q||d.dataset.text.indexOf(q)>=0);d.hidden=!ok;if(ok){n++;if(d.dataset.cause)seen[d.dataset.cause]=1;}});
document.querySelectorAll('#list .cause').forEach(function(c){c.hidden=!seen[c.dataset.cause];});
var active=st!=='all'||tag||q||fnd;document.querySelectorAll('details.file').forEach(function(f){var any=f.querySelector('details.case:not([hidden])');f.hidden=!any;if(active&&any)f.open=true;});
document.querySelectorAll('h2.sec[data-for]').forEach(function(h){h.hidden=!document.querySelector('details.case[data-group="'+h.dataset.for+'"]:not([hidden])');});
document.getElementById('shown').textContent=n+' shown';}
function load(){if(pending)return pending;var b=atob(document.getElementById('lazy').textContent.trim()),u=new Uint8Array(b.length);for(var i=0;i<b.length;i++)u[i]=b.charCodeAt(i);
pending=new Response(new Blob([u]).stream().pipeThrough(new DecompressionStream('gzip'))).json().then(function(j){data=j;return j;});return pending;}
function fill(d){var box=d.querySelector('.lazy');if(!box||box.dataset.state)return Promise.resolve();box.dataset.state='loading';box.innerHTML='<p class="cap">loading the sequence and the messages…</p>';
return load().then(function(j){box.innerHTML=j[d.dataset.key]||'';box.dataset.state='done';});}
var bulk=false;
document.addEventListener('toggle',function(e){var d=e.target;if(!(d.matches&&d.matches('details.case')&&d.open))return;fill(d);var r=d.querySelector('[data-root]');if(r&&!bulk)r.scrollIntoView({block:'nearest'});},true);
function go(id){if(!id)return;var t=document.getElementById(id);var m=/^m-(c\\d+)-/.exec(id);var d=t&&t.matches('details.case')?t:m?document.getElementById(m[1]):null;
if(d){d.hidden=false;var f=d.closest('details.file');if(f){f.hidden=false;f.open=true;}d.open=true;fill(d).then(function(){var x=document.getElementById(id);if(x){if(x.tagName==='DETAILS')x.open=true;x.scrollIntoView({block:'start'});}});}else if(t)t.scrollIntoView({block:'start'});}
document.addEventListener('click',function(e){var a=e.target.closest&&e.target.closest('a[href^="#"]');if(!a)return;var id=a.getAttribute('href').slice(1);if(!document.getElementById(id)&&!/^m-/.test(id))return;e.preventDefault();history.replaceState(null,'','#'+id);go(id);});
document.querySelectorAll('[data-st]').forEach(function(b){b.addEventListener('click',function(){st=b.dataset.st;document.querySelectorAll('[data-st]').forEach(function(x){x.classList.toggle('on',x===b);});apply();});});
document.getElementById('fnd').addEventListener('click',function(e){fnd=!fnd;e.target.classList.toggle('on',fnd);apply();});
document.getElementById('tag').addEventListener('change',function(e){tag=e.target.value;apply();});
document.getElementById('q').addEventListener('input',function(e){q=e.target.value.toLowerCase().trim();apply();});
document.getElementById('expand').addEventListener('click',function(){bulk=true;document.querySelectorAll('details.file:not([hidden])').forEach(function(f){f.open=true;});cases().forEach(function(d){if(!d.hidden)d.open=true;});setTimeout(function(){bulk=false;},0);});
document.getElementById('collapse').addEventListener('click',function(){document.querySelectorAll('details.file,details.case').forEach(function(d){d.open=false;});});
apply();if(location.hash)go(location.hash.slice(1));})();
`;
