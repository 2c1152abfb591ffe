/* Draws the analytics dashboard's charts with Chart.js.
 *
 * The page lists each chart as <canvas data-chart="id"> beside its table; the figures come
 * from the JSON address in #analytics[data-source] (the same days as the page). Labels, ad
 * headlines included, are drawn on the canvas as text, never put into the page as HTML.
 * Without JavaScript, or if the data cannot be read, the tables still say everything.
 */
(function () {
  "use strict";

  var COLOURS = ["#2b6cb0", "#38a169", "#d69e2e", "#e53e3e", "#805ad5", "#319795"];

  function draw(spec) {
    var canvas = document.querySelector('canvas[data-chart="' + spec.id + '"]');
    if (!canvas) {
      return;
    }
    var datasets = spec.series.map(function (series, index) {
      var colour = COLOURS[index % COLOURS.length];
      return {
        label: series.label,
        data: series.data,
        borderColor: colour,
        backgroundColor: colour,
        spanGaps: true
      };
    });
    var y = { beginAtZero: true, ticks: { precision: 0 } };
    if (spec.percent) {
      y.max = 100;
    }
    new window.Chart(canvas, {
      type: spec.kind,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: y }
      }
    });
    canvas.setAttribute("data-drawn", "true");
  }

  function start() {
    var root = document.getElementById("analytics");
    if (!root || !window.Chart || !window.fetch) {
      return;
    }
    window.fetch(root.getAttribute("data-source"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (answer) {
        if (!answer.ok) {
          throw new Error("chart data: HTTP " + answer.status);
        }
        return answer.json();
      })
      .then(function (data) {
        data.charts.forEach(draw);
        root.setAttribute("data-charts", "drawn");
      })
      .catch(function () {
        root.setAttribute("data-charts", "failed");
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
