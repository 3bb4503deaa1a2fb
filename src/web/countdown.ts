// Live countdowns for any page: an element with data-due (ISO) and data-start (ISO) inside a
// .timer shows hh:mm:ss left, or 超时 hh:mm:ss once past due, and its .timer gets the classes
// urgent (last fifth of the time) and overdue. The page passes serverNow to Layout.

/** hh:mm:ss of a number of seconds (hours may exceed 24). */
export function hms(totalSeconds: number): string {
  const s = Math.abs(Math.trunc(totalSeconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

// Counts every .countdown down each second from the server's clock (the offset between the two
// clocks is measured once at load), and re-reads the timers every 30 s so a fulfilled or new
// commitment shows without a reload.
export const COUNTDOWN_SCRIPT = `
(function(){
  var offset = Number(document.body.dataset.serverNow) - Date.now();
  function pad(n){return String(n).padStart(2,'0')}
  function hms(s){s=Math.abs(Math.trunc(s));return pad(Math.floor(s/3600))+':'+pad(Math.floor(s%3600/60))+':'+pad(s%60)}
  function tick(){
    var now = Date.now() + offset;
    document.querySelectorAll('[data-due]').forEach(function(el){
      var due = Date.parse(el.dataset.due), start = Date.parse(el.dataset.start);
      var left = (due - now) / 1000, item = el.closest('.timer');
      el.textContent = left >= 0 ? hms(left) : '超时 ' + hms(-left);
      item.classList.toggle('overdue', left < 0);
      item.classList.toggle('urgent', left >= 0 && left <= (due - start) / 1000 * 0.2);
    });
  }
  function refresh(){
    fetch('/api/timers', {headers:{Accept:'application/json'}}).then(function(r){return r.ok ? r.json() : null}).then(function(data){
      if (!data) return;
      var list = document.getElementById('timers'); if (!list) return;
      var keep = {}; data.items.forEach(function(t){keep[t.id]=true});
      list.querySelectorAll('.timer').forEach(function(li){ if(!keep[li.dataset.id]) li.remove(); });
      if (!list.querySelector('.timer')) { var p = document.getElementById('no-timers'); if (p) p.hidden = false; }
    }).catch(function(){});
  }
  tick(); setInterval(tick, 1000); setInterval(refresh, 30000);
})();`;

