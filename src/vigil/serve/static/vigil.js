// vigil dashboard: live alert feed, urgent list and chart refresh by polling the JSON API.
// Served from this origin only (the Content-Security-Policy forbids inline and foreign scripts). Message text
// is inserted with textContent, never as HTML, so attacker-controlled text stays text.
"use strict";
(function () {
  const POLL_MS = 5000;

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function when(iso) {
    return (iso || "").slice(0, 16).replace("T", " ");
  }

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(url + " answered " + response.status);
    const body = await response.json();
    return body.data;
  }

  function renderAlerts(list, items) {
    const known = new Set(Array.from(list.children).map((li) => li.dataset.id));
    list.replaceChildren();
    if (!items.length) { list.appendChild(el("li", "empty", "No alerts yet.")); return; }
    for (const a of items) {
      const li = el("li", "alert sev-" + a.severity + (known.size && !known.has(String(a.id)) ? " fresh" : ""));
      li.dataset.id = String(a.id);
      li.appendChild(el("span", "badge", a.kind));
      li.appendChild(document.createTextNode(" "));
      const subject = el("strong", null, a.subject);
      subject.dir = "auto";
      li.appendChild(subject);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("time", null, when(a.created_at)));
      if (a.acknowledged) li.appendChild(el("span", "muted", " · acknowledged by " + a.acknowledged.by));
      list.appendChild(li);
    }
  }

  function renderMessages(list, items) {
    list.replaceChildren();
    if (!items.length) { list.appendChild(el("li", "empty", "Nothing urgent in the last 24 hours.")); return; }
    for (const m of items) {
      const li = el("li", "msg urgency-" + (m.urgency || "none"));
      const meta = el("div", "meta");
      if (m.urgency) meta.appendChild(el("span", "badge u-" + m.urgency, m.urgency));
      if (m.type) meta.appendChild(el("span", "type", m.type.replace(/_/g, " ")));
      for (const s of m.signals || []) meta.appendChild(el("span", "signal", s));
      const author = el("a", "author", "@" + m.author);
      author.href = "/search?author=" + encodeURIComponent(m.author);
      author.dir = "auto";
      meta.appendChild(author);
      const link = el("a", "when", when(m.created_at));
      link.href = "/messages/" + encodeURIComponent(m.id);
      meta.appendChild(link);
      for (const a of m.areas || []) meta.appendChild(el("span", "area", a));
      li.appendChild(meta);
      const text = el("p", "text", (m.text || "").slice(0, 600));
      text.dir = "auto";
      li.appendChild(text);
      list.appendChild(li);
    }
  }

  async function tick() {
    try {
      const health = await getJSON("/api/health");
      const clock = document.getElementById("clock");
      if (clock) clock.textContent = when(health.now);
      const alerts = document.getElementById("alerts");
      if (alerts) renderAlerts(alerts, (await getJSON(alerts.dataset.poll)).items);
      const urgent = document.getElementById("urgent");
      if (urgent) {
        const since = new Date(Date.parse(health.now) - 24 * 3600 * 1000).toISOString();
        const until = new Date(Date.parse(health.now)).toISOString();
        const url = urgent.dataset.poll + "&since=" + encodeURIComponent(since) + "&until=" + encodeURIComponent(until);
        renderMessages(urgent, (await getJSON(url)).items);
      }
      const chart = document.getElementById("hourly-chart");
      if (chart) chart.src = "/charts/hourly.svg?hours=48&t=" + Date.now();
    } catch (err) {
      // a failed poll (server restarting, session expired) is retried at the next tick
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.getElementById("alerts") || document.getElementById("urgent")) {
      window.setInterval(tick, POLL_MS);
    }
  });
})();
