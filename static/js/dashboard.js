/* 总览: draws every chart from the numbers the page embeds (the same as /api/dashboard/), each
   with a table of its numbers (表格), and turns clicks into drill-downs: a block of the section
   chart or a cell of the matrix opens the tasks behind it with their reasons (/dashboard/why/),
   a unit its own 总览, a demo project its page. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  var source = document.getElementById("dashboard-data");
  if (!root || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var urls = root.dataset;
  var LIGHTS = ["green", "yellow", "red", "grey"];
  var LIGHT_NAMES = { green: "绿灯", yellow: "黄灯", red: "红灯", grey: "未报送" };
  var COLORS = { green: "#1f9d55", yellow: "#f2b705", red: "#d32f2f", grey: "#b8c1cc" };
  var SEVERITY = { grey: 0, green: 1, yellow: 2, red: 3 };
  var charts = {};
  window.dashboardCharts = charts;

  function go(url) { window.location.href = url; }
  function query(params) {
    var q = new URLSearchParams();
    Object.keys(params).forEach(function (k) { if (params[k] !== null && params[k] !== undefined) q.set(k, params[k]); });
    return "?" + q.toString();
  }
  function byId(base, id) { return base.replace(/\/0\/$/, "/" + id + "/"); }
  /* The tasks behind a block (the same selection as the chart's count): section, unit, light. */
  function why(params) { return urls.whyUrl + query(Object.assign({ period: data.period.code }, params)); }
  function pct(v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function narrow() { return window.innerWidth < 576; }
  function short(s, n) { return s.length > n ? s.slice(0, n) + "…" : s; }

  /* A table: columns [{key, label, num, fmt, link}], rows of objects; sortable headers. */
  function table(id, caption, columns, rows, sortable) {
    var box = document.getElementById("table-" + id);
    var state = { key: null, dir: 1 };
    function render() {
      var list = rows.slice();
      if (state.key) {
        var col = columns.filter(function (c) { return c.key === state.key; })[0];
        list.sort(function (a, b) {
          var x = a[state.key], y = b[state.key];
          if (x === null || x === undefined) x = col.num ? -Infinity : "";
          if (y === null || y === undefined) y = col.num ? -Infinity : "";
          return (x > y ? 1 : x < y ? -1 : 0) * state.dir;
        });
      }
      var html = '<div class="table-responsive"><table class="table table-sm table-hover align-middle mb-0"><caption>' + esc(caption) + "</caption><thead><tr>";
      columns.forEach(function (c) {
        var sort = state.key === c.key ? (state.dir > 0 ? "ascending" : "descending") : "none";
        html += '<th scope="col"' + (c.num ? ' class="text-end"' : "") + (sortable ? ' aria-sort="' + sort + '"' : "") + ">" +
          (sortable ? '<button type="button" class="th-sort" data-key="' + c.key + '">' + esc(c.label) + "</button>" : esc(c.label)) + "</th>";
      });
      html += "</tr></thead><tbody>";
      list.forEach(function (r) {
        html += "<tr>";
        columns.forEach(function (c, i) {
          var v = c.fmt ? c.fmt(r[c.key], r) : (r[c.key] === null || r[c.key] === undefined ? "—" : r[c.key]);
          var cell = c.link && c.link(r) ? '<a href="' + esc(c.link(r)) + '">' + esc(v) + "</a>" : (c.html ? v : esc(v));
          html += (i === 0 ? '<th scope="row">' : "<td" + (c.num ? ' class="text-end"' : "") + ">") + cell + (i === 0 ? "</th>" : "</td>");
        });
        html += "</tr>";
      });
      box.innerHTML = html + "</tbody></table></div>";
      if (sortable) {
        box.querySelectorAll(".th-sort").forEach(function (b) {
          b.addEventListener("click", function () {
            state.dir = state.key === b.dataset.key ? -state.dir : (columns.filter(function (c) { return c.key === b.dataset.key; })[0].num ? -1 : 1);
            state.key = b.dataset.key;
            render();
            box.querySelector('.th-sort[data-key="' + state.key + '"]').focus();
          });
        });
      }
    }
    render();
  }
  function lightCell(light) {
    return '<span class="light light-' + light + '"><span class="light-dot" aria-hidden="true"></span>' + LIGHT_NAMES[light] + "</span>";
  }

  function chart(id, option, onClick, height) {
    var el = document.getElementById("chart-" + id);
    if (height) el.style.height = height + "px";
    var c = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    option.animation = false;
    option.textStyle = { fontFamily: getComputedStyle(document.body).fontFamily };
    c.setOption(option);
    if (onClick) { c.on("click", onClick); el.classList.add("is-clickable"); }
    charts[id] = c;
    return c;
  }
  var legend = { top: 0, itemWidth: 12, itemHeight: 10 };

  /* 1. Sections: stacked bars of tasks by light. */
  var sections = data.sections;
  chart("sections", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: legend,
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: sections.map(function (s) { return s.code + " " + short(s.label.replace(/^（.+?）/, ""), narrow() ? 6 : 12); }) },
    series: LIGHTS.map(function (l) {
      return { name: LIGHT_NAMES[l], type: "bar", stack: "t", itemStyle: { color: COLORS[l] }, barMaxWidth: 22,
        label: { show: true, formatter: function (p) { return p.value || ""; }, color: l === "yellow" || l === "grey" ? "#333" : "#fff" },
        data: sections.map(function (s) { return s[l]; }) };
    })
  }, function (p) { go(why({ section: sections[p.dataIndex].id, light: LIGHTS[p.seriesIndex] })); }, Math.max(260, sections.length * 34 + 60));
  function countLink(light) {
    return function (r) { return r[light] ? why({ section: r.id, light: light }) : null; };
  }
  table("sections", "各板块任务灯色（项；点击数字查看这些任务及其灯色理由）", [
    { key: "label", label: "板块", fmt: function (v, r) { return r.code + " " + v; }, link: function (r) { return why({ section: r.id }); } },
    { key: "green", label: "绿灯", num: true, link: countLink("green") }, { key: "yellow", label: "黄灯", num: true, link: countLink("yellow") },
    { key: "red", label: "红灯", num: true, link: countLink("red") }, { key: "grey", label: "未报送", num: true, link: countLink("grey") },
    { key: "total", label: "合计", num: true, link: function (r) { return why({ section: r.id }); } }
  ], sections);

  /* 2. Trend over periods. */
  var trend = data.trend;
  chart("trend", {
    tooltip: { trigger: "axis" },
    legend: legend,
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: trend.map(function (p) { return p.code; }), axisLabel: { rotate: trend.length > 8 ? 45 : 0 } },
    yAxis: { type: "value", minInterval: 1, name: "任务数" },
    series: LIGHTS.map(function (l) {
      return { name: LIGHT_NAMES[l], type: "bar", stack: "t", itemStyle: { color: COLORS[l] }, barMaxWidth: 28,
        data: trend.map(function (p) { return p[l]; }) };
    })
  }, function (p) { go(urls.dashboardUrl + query({ period: trend[p.dataIndex].code })); }, 300);
  table("trend", "各周期任务灯色（项）", [
    { key: "label", label: "周期", link: function (r) { return urls.dashboardUrl + query({ period: r.code }); } },
    { key: "green", label: "绿灯", num: true }, { key: "yellow", label: "黄灯", num: true },
    { key: "red", label: "红灯", num: true }, { key: "grey", label: "未报送", num: true }
  ], trend);

  /* 3. The unit scorecard: a ranking by score; equal scores share a rank (并列3). Each bar's
     colour says why (the legend above the chart); names wrap rather than being cut off. */
  var ranked = data.scorecard.slice().sort(function (a, b) { return a.rank - b.rank || (a.unit < b.unit ? -1 : 1); });
  var unitUrl = function (r) { return byId(urls.unitUrl, r.unit_id) + query({ period: data.period.code }); };
  var SCORE_COLORS = [
    { color: "#d9822b", label: "有逾期节点", test: function (r) { return r.milestones_overdue > 0; } },
    { color: "#2e7d5b", label: "80 分及以上，无逾期节点", test: function (r) { return r.score >= 80; } },
    { color: "#4a84c9", label: "80 分以下，无逾期节点", test: function () { return true; } }
  ];
  function scoreColor(r) { return SCORE_COLORS.filter(function (c) { return c.test(r); })[0].color; }
  function rankText(r) { return r.tied ? "并列第 " + r.rank + " 名" : "第 " + r.rank + " 名"; }
  var scoreLegend = document.createElement("ul");
  scoreLegend.className = "chart-legend";
  scoreLegend.setAttribute("aria-label", "记分卡颜色说明");
  scoreLegend.innerHTML = SCORE_COLORS.map(function (c) {
    return '<li><i style="background:' + c.color + '" aria-hidden="true"></i>' + esc(c.label) + "</li>";
  }).join("");
  var scoreEl = document.getElementById("chart-scorecard");
  scoreEl.parentNode.insertBefore(scoreLegend, scoreEl);
  var labelWidth = narrow() ? 118 : 196;
  var rowHeight = narrow() ? 30 : 22;
  chart("scorecard", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true, formatter: function (ps) {
      var r = ranked[ps[0].dataIndex];
      return esc(r.unit) + "<br>综合得分 " + r.score + "（" + rankText(r) + "）<br>按时报送率 " + pct(r.on_time_rate) +
        "<br>按计划推进占比 " + pct(r.on_track_share) + "<br>本年节点完成率 " + pct(r.milestones_rate) + "<br>逾期节点 " + r.milestones_overdue;
    } },
    grid: { left: labelWidth + 14, right: 40, top: 8, bottom: 24, containLabel: false },
    xAxis: { type: "value", max: 100, name: "得分", nameGap: 4 },
    yAxis: { type: "category", inverse: true, data: ranked.map(function (r) { return r.rank_label + " " + r.unit; }),
      axisLabel: { fontSize: 11, width: labelWidth, overflow: "break", lineHeight: 13 } },
    series: [{ type: "bar", barMaxWidth: 14, label: { show: true, position: "right", fontSize: 11 },
      data: ranked.map(function (r) { return { value: r.score, itemStyle: { color: scoreColor(r) } }; }) }]
  }, function (p) { go(unitUrl(ranked[p.dataIndex])); }, Math.max(300, ranked.length * rowHeight + 40));
  table("scorecard", "单位记分卡：" + data.period.label + "（点击表头排序）", [
    { key: "unit", label: "单位", link: unitUrl },
    { key: "rank", label: "排名", num: true, fmt: function (v, r) { return r.rank_label; } },
    { key: "score", label: "综合得分", num: true },
    { key: "duties", label: "应报", num: true },
    { key: "on_time", label: "按时", num: true },
    { key: "late", label: "逾期提交", num: true },
    { key: "not_submitted", label: "未提交", num: true },
    { key: "on_time_rate", label: "按时报送率", num: true, fmt: pct },
    { key: "on_track_share", label: "按计划推进占比", num: true, fmt: pct },
    { key: "milestones_rate", label: "本年节点完成率", num: true, fmt: function (v, r) { return pct(v) + (r.milestones_due ? "（" + r.milestones_done + "/" + r.milestones_due + "）" : ""); } },
    { key: "milestones_overdue", label: "逾期节点", num: true },
    { key: "urges", label: "催办/督办", num: true, fmt: function (v, r) { return (r.urges || 0) + "/" + (r.orders || 0); } },
    { key: "escalated", label: "本期", fmt: function (v) { return v ? "已催办" : ""; } }
  ], ranked, true);

  /* 4. Units × sections matrix. */
  var m = data.matrix;
  chart("matrix", {
    tooltip: { formatter: function (p) {
      var c = p.data.cell;
      return esc(m.units[c.unit].name) + "<br>" + esc(m.sections[c.section].label) + "<br>" + LIGHT_NAMES[c.light] + " · 任务 " + c.tasks + " 项";
    } },
    grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "category", position: "top", data: m.sections.map(function (s) { return s.code; }), splitArea: { show: true } },
    yAxis: { type: "category", inverse: true, data: m.units.map(function (u) { return u.name; }), axisLabel: { fontSize: 11 }, splitArea: { show: true } },
    series: [{ type: "heatmap", label: { show: true, fontSize: 10, formatter: function (p) { return p.data.cell.tasks; } },
      itemStyle: { borderColor: "#fff", borderWidth: 2 },
      data: m.cells.map(function (c) {
        return { value: [c.section, c.unit, SEVERITY[c.light]], cell: c, itemStyle: { color: COLORS[c.light] },
          label: { color: c.light === "yellow" || c.light === "grey" ? "#222" : "#fff" } };
      }) }]
  }, function (p) {
    var c = p.data.cell;
    go(why({ section: m.sections[c.section].id, unit: m.units[c.unit].id }));
  }, Math.max(320, m.units.length * 22 + 40));
  var matrixRows = m.units.map(function (u, ui) {
    var row = { name: u.name, id: u.id };
    m.sections.forEach(function (s, si) { row["s" + si] = null; });
    m.cells.filter(function (c) { return c.unit === ui; }).forEach(function (c) { row["s" + c.section] = c; });
    return row;
  });
  table("matrix", "单位 × 板块灯色（格内为任务数）", [{ key: "name", label: "单位" }].concat(m.sections.map(function (s, si) {
    return { key: "s" + si, label: s.code, html: true, fmt: function (c, r) {
      if (!c) return "";
      return '<a href="' + esc(why({ section: s.id, unit: r.id })) + '">' + lightCell(c.light) + " " + c.tasks + "</a>";
    } };
  })), matrixRows);

  /* 5. Indicators: actual as a share of the yearly target. */
  var inds = data.indicators;
  var years = data.plan.years;
  var YEAR_COLORS = ["#9db7dc", "#6a9bd8", "#3f78c2", "#0b4ea2", "#083b7a"];
  chart("indicators", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (ps) {
      var ind = inds[ps[0].dataIndex];
      return esc(ind.name) + ind.years.map(function (y) {
        return "<br>" + y.year + " 年：实际 " + y.actual + (y.target !== null ? " / 目标 " + y.target + (y.target_max ? "–" + y.target_max : "") + (y.cumulative ? "（累计）" : "") : "（无目标）") + " " + ind.measure;
      }).join("");
    } },
    legend: legend,
    grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: "value", name: "完成率 %", max: function (v) { return Math.max(100, Math.ceil(v.max / 50) * 50); } },
    yAxis: { type: "category", inverse: true, data: inds.map(function (i) { return short(i.name, narrow() ? 8 : 12); }) },
    series: years.map(function (year, yi) {
      return { name: year + " 年", type: "bar", barMaxWidth: 8, itemStyle: { color: YEAR_COLORS[yi % YEAR_COLORS.length] },
        markLine: yi === 0 ? { silent: true, symbol: "none", data: [{ xAxis: 100 }], lineStyle: { color: "#c62828", type: "dashed" }, label: { formatter: "目标" } } : undefined,
        data: inds.map(function (ind) {
          var y = ind.years[yi];
          return y && y.target ? Math.round(y.actual * 1000 / y.target) / 10 : 0;
        }) };
    })
  }, function (p) {
    go(urls.ledgerUrl + query({ indicator: inds[p.dataIndex].code, year: years[p.seriesIndex] }));
  }, Math.max(300, inds.length * 42 + 60));
  var indRows = [];
  inds.forEach(function (ind) {
    ind.years.forEach(function (y) {
      indRows.push({ name: ind.name, code: ind.code, year: y.year, actual: y.actual, measure: ind.measure,
        target: y.target === null ? null : y.target + (y.target_max ? "–" + y.target_max : "") + (y.cumulative ? "（累计）" : ""),
        met: y.met });
    });
  });
  table("indicators", "主要目标：各年实际完成与目标", [
    { key: "name", label: "指标", link: function (r) { return urls.ledgerUrl + query({ indicator: r.code }); } },
    { key: "year", label: "年份", num: true },
    { key: "actual", label: "实际", num: true, link: function (r) { return urls.ledgerUrl + query({ indicator: r.code, year: r.year }); } },
    { key: "target", label: "目标", num: true },
    { key: "measure", label: "单位" },
    { key: "met", label: "达标", fmt: function (v) { return v === null ? "—" : v ? "是" : "否"; } }
  ], indRows);

  /* 6. Demo projects on a 2019–2023 timeline, coloured by light. */
  var demos = data.demos;
  var start = Math.min.apply(null, [2019].concat(demos.map(function (d) { return d.start_year; })));
  var end = Math.max.apply(null, [2023].concat(demos.map(function (d) { return d.end_year; })));
  chart("demos", {
    tooltip: { formatter: function (p) {
      var d = demos[p.dataIndex];
      return esc(d.name) + "<br>" + d.start_year + "–" + d.end_year + " 年 · " + LIGHT_NAMES[d.light] + "<br>" + esc(d.units.join("、"));
    } },
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: "value", min: start, max: end + 1, interval: 1, position: "top", axisLabel: { formatter: function (v) { return v <= end ? v : ""; } }, splitLine: { show: true } },
    yAxis: { type: "category", inverse: true, data: demos.map(function (d) { return short(d.name, narrow() ? 8 : 14); }) },
    series: [
      { type: "bar", stack: "d", silent: true, itemStyle: { color: "transparent" }, data: demos.map(function (d) { return d.start_year; }), barMaxWidth: 16 },
      { type: "bar", stack: "d", barMaxWidth: 16, label: { show: !narrow(), position: "insideLeft", fontSize: 10, color: "#fff", formatter: function (p) { var d = demos[p.dataIndex]; return d.start_year + "–" + d.end_year; } },
        data: demos.map(function (d) { return { value: d.end_year - d.start_year + 1, itemStyle: { color: COLORS[d.light], borderRadius: 8 } }; }) }
    ]
  }, function (p) { go(byId(urls.demoUrl, demos[p.dataIndex].id)); }, Math.max(260, demos.length * 28 + 40));
  table("demos", "示范工程建设周期与灯色", [
    { key: "name", label: "示范工程", link: function (r) { return byId(urls.demoUrl, r.id); } },
    { key: "field", label: "领域" },
    { key: "period", label: "建设周期" },
    { key: "light", label: "灯色", html: true, fmt: function (v) { return lightCell(v); } },
    { key: "unitsText", label: "责任单位" }
  ], demos.map(function (d) { return Object.assign({ period: d.start_year + "–" + d.end_year, unitsText: d.units.join("、") }, d); }));

  /* Table toggles, resizing, printing. */
  document.querySelectorAll(".chart-toggle").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var box = document.getElementById("table-" + btn.dataset.chart);
      var open = box.hasAttribute("hidden");
      box.toggleAttribute("hidden", !open);
      btn.setAttribute("aria-expanded", String(open));
      btn.classList.toggle("active", open);
    });
  });
  var resize = function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); };
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", resize);
  root.dataset.drawn = "true";
})();
