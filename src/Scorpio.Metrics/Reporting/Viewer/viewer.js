// Scorpio's offline image viewer: no network, no libraries. Each viewer (a div of class sv) holds a JSON block (class sv-data) with
// float32 layers (base64, little-endian), their units, colour maps and per-group display limits computed by Scorpio.
// The user hovers to read pixel values, picks the stretch (linear, asinh, log, zscale) and limits, blinks or swipes between
// two layers, and steps through posterior samples as an animation.
(function () {
  'use strict';

  function decode(b64) {
    var s = atob(b64), u = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
    return new Float32Array(u.buffer);
  }

  // The display curve of Scorpio.Astro.Imaging.Stretch.Map on t = (v - low) / (high - low) clipped to [0, 1].
  function curve(stretch, t, spec) {
    if (stretch === 'asinh') return Math.asinh(t / spec.softening) / Math.asinh(1 / spec.softening);
    if (stretch === 'log') return Math.log10(spec.logA * t + 1) / Math.log10(spec.logA + 1);
    return t;
  }

  function colour(map, t, out) {
    if (isNaN(t)) { out[0] = map.nan[0]; out[1] = map.nan[1]; out[2] = map.nan[2]; return; }
    var a = map.anchors, x = Math.min(Math.max(t, 0), 1) * (a.length - 1), i = Math.min(Math.floor(x), a.length - 2), f = x - i;
    for (var c = 0; c < 3; c++) out[c] = a[i][c] + f * (a[i + 1][c] - a[i][c]);
  }

  function fmt(v) {
    if (!isFinite(v)) return String(v);
    var a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(5) : String(Number(v.toPrecision(6)));
  }

  function el(tag, attrs, parent, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function labelled(parent, text, control) {
    var l = el('label', {}, parent, text + ' ');
    l.appendChild(control);
    return control;
  }

  function Viewer(root) {
    var spec = JSON.parse(root.querySelector('script.sv-data').textContent);
    var layers = spec.layers.map(function (l) { l.values = decode(l.data); delete l.data; return l; });
    var first = layers[0];
    var boxW = spec.display, boxH = Math.round(spec.display * first.h / first.w);
    var state = { a: 0, b: Math.min(1, layers.length - 1), mode: 'single', swipe: 0.5, blinkOn: false, stretch: spec.stretch, limits: {}, timer: null, playing: null };
    var cache = {};

    var controls = el('div', { 'class': 'sv-controls' }, root);
    var layerSel = labelled(controls, 'show', el('select', { 'class': 'sv-layer' }));
    var compareSel = labelled(controls, 'compare with', el('select', { 'class': 'sv-compare' }));
    layers.forEach(function (l, i) {
      el('option', { value: i }, layerSel, l.name);
      el('option', { value: i }, compareSel, l.name);
    });
    compareSel.value = state.b;
    var modeSel = labelled(controls, 'mode', el('select', { 'class': 'sv-mode' }));
    ['single', 'blink', 'swipe'].forEach(function (m) { el('option', { value: m }, modeSel, m); });
    var swipe = labelled(controls, 'swipe', el('input', { 'class': 'sv-swipe', type: 'range', min: 0, max: 100, value: 50 }));
    var controls2 = el('div', { 'class': 'sv-controls' }, root);
    var stretchSel = labelled(controls2, 'stretch', el('select', { 'class': 'sv-stretch' }));
    ['linear', 'asinh', 'log', 'zscale'].forEach(function (s) { el('option', { value: s }, stretchSel, s); });
    stretchSel.value = state.stretch;
    var lowIn = labelled(controls2, 'low', el('input', { 'class': 'sv-low', type: 'number', step: 'any', size: 10 }));
    var highIn = labelled(controls2, 'high', el('input', { 'class': 'sv-high', type: 'number', step: 'any', size: 10 }));
    var reset = el('button', { 'class': 'sv-reset', type: 'button' }, controls2, 'reset limits');
    var play = null, sampleSlider = null;
    if (spec.samples.length > 1) {
      var controls3 = el('div', { 'class': 'sv-controls' }, root);
      play = el('button', { 'class': 'sv-play', type: 'button' }, controls3, 'play samples');
      sampleSlider = labelled(controls3, 'sample', el('input', { 'class': 'sv-sample', type: 'range', min: 0, max: spec.samples.length - 1, value: 0 }));
    }
    var canvas = el('canvas', { 'class': 'sv-canvas', width: boxW, height: boxH }, root);
    var bar = el('canvas', { 'class': 'sv-bar', width: boxW, height: 12 }, root);
    var barLabels = el('div', { 'class': 'sv-barlabels' }, root);
    barLabels.style.width = boxW + 'px';
    var barLow = el('span', {}, barLabels), barCaption = el('span', {}, barLabels), barHigh = el('span', {}, barLabels);
    var readout = el('div', { 'class': 'sv-readout' }, root, 'hover over the image to read pixel values');
    var ctx = canvas.getContext('2d');

    function groupOf(i) { return layers[i].group; }
    function limits(i) {
      var key = groupOf(i) + '/' + state.stretch;
      return state.limits[key] || spec.groups[layers[i].group][state.stretch];
    }
    function image(i) {
      var lim = limits(i), key = i + '/' + state.stretch + '/' + lim[0] + '/' + lim[1];
      if (cache[key]) return cache[key];
      var l = layers[i], off = document.createElement('canvas');
      off.width = l.w; off.height = l.h;
      var octx = off.getContext('2d'), img = octx.createImageData(l.w, l.h), rgb = [0, 0, 0];
      var map = spec.colormaps[l.cmap], span = lim[1] > lim[0] ? lim[1] - lim[0] : 1;
      for (var p = 0; p < l.values.length; p++) {
        var v = l.values[p], t = isNaN(v) ? NaN : curve(state.stretch, Math.min(Math.max((v - lim[0]) / span, 0), 1), spec);
        colour(map, t, rgb);
        img.data[4 * p] = Math.round(255 * rgb[0]); img.data[4 * p + 1] = Math.round(255 * rgb[1]);
        img.data[4 * p + 2] = Math.round(255 * rgb[2]); img.data[4 * p + 3] = 255;
      }
      octx.putImageData(img, 0, 0);
      cache[key] = off;
      return off;
    }
    function shown() { return state.mode === 'blink' && state.blinkOn ? state.b : state.a; }
    function drawBar(i) {
      var lim = limits(i), l = layers[i], map = spec.colormaps[l.cmap], bctx = bar.getContext('2d'), img = bctx.createImageData(boxW, 12), rgb = [0, 0, 0];
      for (var x = 0; x < boxW; x++) {
        var t = curve(state.stretch, (x + 0.5) / boxW, spec);
        colour(map, t, rgb);
        for (var y = 0; y < 12; y++) {
          var o = 4 * (y * boxW + x);
          img.data[o] = Math.round(255 * rgb[0]); img.data[o + 1] = Math.round(255 * rgb[1]); img.data[o + 2] = Math.round(255 * rgb[2]); img.data[o + 3] = 255;
        }
      }
      bctx.putImageData(img, 0, 0);
      barLow.textContent = fmt(lim[0]); barHigh.textContent = fmt(lim[1]);
      barCaption.textContent = (l.unit ? l.unit + ' \u00b7 ' : '') + state.stretch;
      lowIn.value = fmt(lim[0]); highIn.value = fmt(lim[1]);
    }
    function draw() {
      ctx.imageSmoothingEnabled = false;
      ctx.clearRect(0, 0, boxW, boxH);
      var i = shown();
      ctx.drawImage(image(i), 0, 0, layers[i].w, layers[i].h, 0, 0, boxW, boxH);
      if (state.mode === 'swipe') {
        var b = state.b, cut = Math.round(state.swipe * boxW);
        ctx.save();
        ctx.beginPath(); ctx.rect(cut, 0, boxW - cut, boxH); ctx.clip();
        ctx.drawImage(image(b), 0, 0, layers[b].w, layers[b].h, 0, 0, boxW, boxH);
        ctx.restore();
        ctx.strokeStyle = '#ff0'; ctx.beginPath(); ctx.moveTo(cut + 0.5, 0); ctx.lineTo(cut + 0.5, boxH); ctx.stroke();
      }
      drawBar(i);
      root.setAttribute('data-shown', layers[i].name);
    }
    function setBlink() {
      if (state.timer) { clearInterval(state.timer); state.timer = null; }
      state.blinkOn = false;
      if (state.mode === 'blink') state.timer = setInterval(function () { state.blinkOn = !state.blinkOn; draw(); }, 600);
    }
    function showSample(k) {
      state.a = spec.samples[k];
      layerSel.value = state.a;
      if (sampleSlider) sampleSlider.value = k;
      draw();
    }

    layerSel.addEventListener('change', function () { state.a = +layerSel.value; draw(); });
    compareSel.addEventListener('change', function () { state.b = +compareSel.value; draw(); });
    modeSel.addEventListener('change', function () { state.mode = modeSel.value; setBlink(); draw(); });
    swipe.addEventListener('input', function () { state.swipe = swipe.value / 100; if (state.mode !== 'swipe') { state.mode = 'swipe'; modeSel.value = 'swipe'; setBlink(); } draw(); });
    stretchSel.addEventListener('change', function () { state.stretch = stretchSel.value; draw(); });
    function setLimits() {
      var lo = parseFloat(lowIn.value), hi = parseFloat(highIn.value);
      if (!(isFinite(lo) && isFinite(hi) && hi > lo)) return;
      state.limits[groupOf(shown()) + '/' + state.stretch] = [lo, hi];
      draw();
    }
    lowIn.addEventListener('change', setLimits);
    highIn.addEventListener('change', setLimits);
    reset.addEventListener('click', function () { delete state.limits[groupOf(shown()) + '/' + state.stretch]; draw(); });
    if (play) {
      play.addEventListener('click', function () {
        if (state.playing) { clearInterval(state.playing); state.playing = null; play.textContent = 'play samples'; return; }
        var k = +sampleSlider.value;
        state.playing = setInterval(function () { k = (k + 1) % spec.samples.length; showSample(k); }, 400);
        play.textContent = 'stop';
      });
      sampleSlider.addEventListener('input', function () { showSample(+sampleSlider.value); });
    }
    canvas.addEventListener('mousemove', function (e) {
      var r = canvas.getBoundingClientRect(), mx = (e.clientX - r.left) * boxW / r.width, my = (e.clientY - r.top) * boxH / r.height;
      var i = state.mode === 'swipe' && mx >= state.swipe * boxW ? state.b : shown(), l = layers[i];
      var x = Math.min(l.w - 1, Math.max(0, Math.floor(mx / boxW * l.w))), y = Math.min(l.h - 1, Math.max(0, Math.floor(my / boxH * l.h)));
      var v = l.values[y * l.w + x];
      readout.textContent = l.name + '  [x=' + x + ', y=' + y + ']  ' + fmt(v) + (l.unit ? ' ' + l.unit : '');
      readout.setAttribute('data-layer', l.name); readout.setAttribute('data-x', x); readout.setAttribute('data-y', y); readout.setAttribute('data-value', String(v));
    });
    draw();
  }

  function start() {
    var roots = document.querySelectorAll('div.sv');
    for (var i = 0; i < roots.length; i++) {
      try { Viewer(roots[i]); roots[i].setAttribute('data-ready', '1'); }
      catch (e) { roots[i].appendChild(document.createTextNode('viewer error: ' + e)); throw e; }
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
