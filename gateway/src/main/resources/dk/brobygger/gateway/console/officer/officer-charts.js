// Draws the privacy officer's weekly charts with uPlot (from its WebJar). Each [data-chart] element
// carries its data: data-x, the weeks as Unix seconds, and data-series, [{label, values}] per line.
// The same numbers are in the table below the charts, for screen readers and printing.
import uPlot from './uPlot.esm.js';

const COLOURS = ['#1f5fa8', '#b3541e', '#2e7d32', '#6a1b9a', '#00838f', '#8d6e00'];

for (const element of document.querySelectorAll('[data-chart]')) {
  const weeks = JSON.parse(element.dataset.x);
  const series = JSON.parse(element.dataset.series);
  const options = {
    width: Math.min(element.parentElement.clientWidth || 600, 720),
    height: 220,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
    series: [{ label: 'Uge' }].concat(series.map((s, i) => ({
      label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: true },
    }))),
    axes: [{}, { label: 'Antal' }],
  };
  new uPlot(options, [weeks].concat(series.map((s) => s.values)), element);
}
