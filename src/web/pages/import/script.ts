// The /import page's inline script: the form runs in place (so the chosen file stays chosen
// between the dry run and the import), through the API: POST /api/imports, then the job polled
// at GET /api/imports/:id to fill the progress bar, and the job's panel — rendered by the server
// at /import/jobs/:id — swapped in when it has finished. "开始导入" is enabled once a dry run of
// the file now chosen found no error. Without script the form posts to /import as usual.
export const IMPORT_SCRIPT = `
(function(){
  var form = document.getElementById('import-form');
  if (!form || !window.fetch || !window.DOMParser) return;
  var file = form.querySelector('input[name=file]');
  var kind = form.querySelector('select[name=kind]');
  var run = document.getElementById('run-import');
  var dry = document.getElementById('dry-run');
  var uploading = document.getElementById('import-uploading');
  var error = form.querySelector('.field-error[data-field=file]');
  if (!error) {
    error = document.createElement('span');
    error.className = 'field-error'; error.dataset.field = 'file'; error.hidden = true;
    file.parentNode.appendChild(error);
  }
  function showError(message){ error.textContent = message; error.hidden = false; file.setAttribute('aria-invalid', 'true'); }
  function clearError(){ error.textContent = ''; error.hidden = true; file.removeAttribute('aria-invalid'); }
  var busy = false;
  function setBusy(on){ busy = on; dry.disabled = on; if (on) run.disabled = true; }
  run.disabled = true;
  function reset(){ if (!busy) run.disabled = true; clearError(); var panel = document.getElementById('import-result'); if (panel && panel.dataset.status !== 'running') { panel.hidden = true; } }
  file.addEventListener('change', reset);
  kind.addEventListener('change', reset);

  function swap(id){
    return fetch('/import/jobs/' + id, {headers: {Accept: 'text/html'}}).then(function(r){ return r.text(); }).then(function(html){
      var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('import-result');
      var old = document.getElementById('import-result');
      if (fresh && old) old.replaceWith(fresh);
      return fresh;
    });
  }
  function show(job){
    var bar = document.getElementById('import-progress'); if (!bar) return;
    var done = job.status === 'running' ? job.rowsDone : job.rowsTotal;
    bar.setAttribute('aria-valuenow', String(done));
    bar.firstElementChild.style.width = (job.rowsTotal ? Math.floor(done * 100 / job.rowsTotal) : 100) + '%';
    var text = document.getElementById('import-progress-text');
    if (text && job.status === 'running') text.textContent = done < job.rowsTotal ? '正在检查：' + done + ' / ' + job.rowsTotal + ' 行' : (job.dryRun ? '正在汇总结果…' : '正在写入数据…');
  }
  // A finished job's panel is shown: the form is free again, and 开始导入 is on after a clean dry run.
  function finish(panel, dryRun){
    setBusy(false);
    run.disabled = !(dryRun && panel && panel.dataset.status === 'done' && !panel.querySelector('#import-errors'));
    if (panel) panel.scrollIntoView({block: 'nearest'});
  }
  function watch(id, dryRun){
    setBusy(true);
    function poll(){
      fetch('/api/imports/' + id, {headers: {Accept: 'application/json'}}).then(function(r){ return r.json(); }).then(function(job){
        show(job);
        if (job.status === 'running') { setTimeout(poll, 250); return; }
        swap(id).then(function(panel){ finish(panel, dryRun); });
      }).catch(function(){ setTimeout(poll, 1000); });
    }
    poll();
  }
  form.addEventListener('submit', function(event){
    event.preventDefault();
    if (busy) return;
    var dryRun = !(event.submitter && event.submitter.value === 'run');
    clearError();
    if (!file.files || file.files.length === 0) { showError('请选择要导入的 CSV 或 XLSX 文件'); return; }
    var body = new FormData(); body.append('file', file.files[0]);
    setBusy(true);
    var previous = document.getElementById('import-result'); if (previous) previous.hidden = true;
    uploading.hidden = false;
    fetch('/api/imports?kind=' + encodeURIComponent(kind.value) + '&dryRun=' + (dryRun ? '1' : '0'), {method: 'POST', body: body, headers: {Accept: 'application/json'}})
      .then(function(r){ return r.json().then(function(b){ return {ok: r.ok, body: b}; }); })
      .then(function(res){
        uploading.hidden = true;
        if (!res.ok) { setBusy(false); showError(res.body && res.body.error ? res.body.error.message : '上传失败，请重试'); return; }
        // A small file may be done already: then its panel is final, and the button follows it
        // at once (not two requests later, while the panel already says to click it).
        swap(res.body.id).then(function(panel){
          if (panel && panel.dataset.status !== 'running') finish(panel, dryRun);
          else watch(res.body.id, dryRun);
        });
      })
      .catch(function(){ uploading.hidden = true; setBusy(false); showError('上传失败：网络错误，请重试'); });
  });
  // Opened on a job still running (the form posted without script): follow it here.
  var current = document.getElementById('import-result');
  if (current && current.dataset.status === 'running') watch(current.dataset.job, current.dataset.dryRun === '1');
})();`;
