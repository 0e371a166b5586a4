// The queue dashboard: reads the v1 API and follows /v1/events, re-reading the queue after each burst of events.
"use strict";
(() => {
  const hours = 6;
  const waitingStates = new Set(["pending", "preempted"]);
  const runningStates = new Set(["starting", "running", "preempting", "stopping"]);
  const el = id => document.getElementById(id);
  const text = (tag, value, cls) => { const e = document.createElement(tag); e.textContent = value ?? ""; if (cls) e.className = cls; return e; };
  const time = iso => iso ? new Date(iso).toLocaleTimeString() : "";
  const after = iso => {
    const minutes = Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 60_000));
    return minutes < 60 ? `${minutes} min` : minutes < 2880 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.round(minutes / 1440)} days`;
  };
  const expected = start => start ? `in ${after(start.likely)} (${after(start.earliest)} to ${after(start.latest)})` : "unknown";
  let refreshTimer = null;

  async function get(path) {
    const response = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  }

  async function readJobs() {
    // Unfinished jobs come first in queue order; stop once finished jobs are older than the timeline.
    const jobs = [];
    const since = Date.now() - hours * 3600_000;
    let token = null;
    for (let page = 0; page < 20; page++) {
      const body = await get("/v1/jobs?pageSize=100" + (token ? "&pageToken=" + encodeURIComponent(token) : ""));
      jobs.push(...body.items);
      token = body.nextPageToken;
      const last = body.items[body.items.length - 1];
      if (!token || (last && last.endedAt && Date.parse(last.endedAt) < since)) break;
    }
    return jobs;
  }

  function renderPools(capacity) {
    const list = el("pools");
    list.replaceChildren(...capacity.pools.map(pool => {
      const item = text("li", null, "pool");
      item.dataset.pool = pool.instanceType;
      const bar = text("div", null, "bar");
      bar.setAttribute("role", "meter");
      bar.setAttribute("aria-label", `${pool.instanceType} instances in use`);
      bar.setAttribute("aria-valuemin", "0");
      bar.setAttribute("aria-valuemax", String(pool.capacity));
      bar.setAttribute("aria-valuenow", String(pool.used));
      const used = text("span");
      used.style.width = pool.capacity ? `${Math.min(100, 100 * pool.used / pool.capacity)}%` : "0";
      bar.append(used);
      item.append(text("strong", pool.instanceType), bar, text("span", `${pool.used} / ${pool.capacity} used`));
      return item;
    }));
  }

  function row(job, cells) {
    const tr = document.createElement("tr");
    tr.dataset.job = job.name;
    tr.dataset.state = job.state;
    for (const cell of cells) tr.append(cell);
    return tr;
  }

  function fill(tableId, rows, columns) {
    const body = el(tableId).tBodies[0];
    if (rows.length === 0) {
      const empty = text("td", "None", "empty");
      empty.colSpan = columns;
      const tr = document.createElement("tr");
      tr.append(empty);
      body.replaceChildren(tr);
    } else {
      body.replaceChildren(...rows);
    }
  }

  function stateCell(job) { return text("td", job.state, `state state-${job.state}`); }

  // Services from before teams send no team: their jobs are all in the default team.
  function teamCell(job) { return text("td", job.team ?? "default", "team"); }

  function renderQueues(jobs) {
    const waiting = jobs.filter(j => waitingStates.has(j.state));
    fill("waiting", waiting.map((job, i) => row(job, [
      text("td", String(job.queuePosition ?? i + 1)), text("td", job.name), text("td", job.owner), teamCell(job), text("td", job.instanceType),
      text("td", String(job.priority)), stateCell(job), text("td", job.reason),
      text("td", expected(job.expectedStart)),
    ])), 9);
    const running = jobs.filter(j => runningStates.has(j.state));
    fill("running", running.map(job => row(job, [
      text("td", job.name), text("td", job.owner), teamCell(job), text("td", job.instanceType), text("td", String(job.instanceCount)),
      text("td", String(job.priority)), stateCell(job), text("td", time(job.attempts.at(-1)?.startedAt ?? job.updatedAt)),
    ])), 8);
  }

  function renderTimeline(jobs, pools) {
    // The axis spans the attempts shown, from a minute up to the last six hours, so a young queue is readable too.
    const end = Date.now();
    const earliest = Math.min(end, ...jobs.flatMap(j => j.attempts.map(a => Date.parse(a.startedAt))));
    const start = Math.max(end - hours * 3600_000, Math.min(end - 60_000, earliest - 0.05 * (end - earliest)));
    const span = end - start;
    el("timeline-span").textContent = span >= 3600_000 ? `${(span / 3600_000).toFixed(1)} hours` : `${Math.round(span / 60_000)} minutes`;
    const byPool = new Map(pools.map(p => [p.instanceType, []]));
    for (const job of jobs) {
      job.attempts.forEach((attempt, i) => {
        const to = attempt.endedAt ? Date.parse(attempt.endedAt) : end;
        if (to < start) return;
        const last = i === job.attempts.length - 1;
        const preempted = !last || job.state === "preempted" || job.state === "preempting";
        const kind = preempted ? "preempted" : attempt.outcome === "Failed" ? "failed" : "run";
        if (!byPool.has(job.instanceType)) byPool.set(job.instanceType, []);
        byPool.get(job.instanceType).push({ job: job.name, from: Math.max(start, Date.parse(attempt.startedAt)), to, kind });
      });
    }
    const container = el("timeline");
    container.replaceChildren(...[...byPool].map(([pool, attempts]) => {
      const block = text("div", null, "timeline-pool");
      block.append(text("h3", pool));
      const lanes = new Map();
      for (const a of attempts.sort((x, y) => x.from - y.from)) {
        if (!lanes.has(a.job)) { const lane = text("div", null, "lane"); lane.append(text("span", a.job, "label")); lanes.set(a.job, lane); }
        const bar = text("div", null, `attempt ${a.kind === "run" ? "" : a.kind}`.trim());
        bar.style.left = `${100 * (a.from - start) / span}%`;
        bar.style.width = `${Math.max(0.2, 100 * (a.to - a.from) / span)}%`;
        bar.title = `${a.job}: ${new Date(a.from).toLocaleTimeString()}–${new Date(a.to).toLocaleTimeString()} ${a.kind}`;
        bar.dataset.kind = a.kind;
        lanes.get(a.job).prepend(bar);
      }
      block.append(...(lanes.size ? lanes.values() : [text("p", "No attempts.", "empty")]));
      return block;
    }));
  }

  function usageCell(share) {
    // A team may hold more than its quota (borrowing), so the meter's maximum is whichever is larger.
    const cell = text("td");
    const usage = text("div", null, "usage");
    const bar = text("div", null, share.inUse > share.quota ? "bar over" : "bar");
    bar.setAttribute("role", "meter");
    bar.setAttribute("aria-label", `${share.team} instances of ${share.instanceType} in use against its quota`);
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", String(Math.max(share.quota, share.inUse)));
    bar.setAttribute("aria-valuenow", String(share.inUse));
    bar.setAttribute("aria-valuetext", `${share.inUse} in use, quota ${share.quota}`);
    const used = text("span");
    used.style.width = share.quota ? `${Math.min(100, 100 * share.inUse / share.quota)}%` : share.inUse ? "100%" : "0";
    bar.append(used);
    usage.append(bar, text("span", `${share.inUse} / ${share.quota}`, "count"));
    cell.append(usage);
    return cell;
  }

  function renderTeams(body) {
    // Without teams configured GET /v1/teams answers none, and the section stays hidden.
    const teams = Array.isArray(body?.teams) ? body.teams : [];
    el("teams").hidden = teams.length === 0;
    el("team-usage").tBodies[0].replaceChildren(...teams.map(share => {
      const tr = document.createElement("tr");
      tr.dataset.team = share.team;
      tr.dataset.pool = share.instanceType;
      tr.append(text("td", share.team), text("td", share.instanceType), usageCell(share),
        text("td", String(share.borrowed)), text("td", String(share.lent)), text("td", String(share.waiting)));
      return tr;
    }));
  }

  async function refresh() {
    try {
      // A server without /v1/teams (or a failed read of it) hides the teams section rather than the whole page.
      const [capacity, jobs, teams] = await Promise.all([get("/v1/capacity"), readJobs(), get("/v1/teams").catch(() => null)]);
      renderPools(capacity);
      renderQueues(jobs);
      renderTimeline(jobs, capacity.pools);
      renderTeams(teams);
    } catch (error) {
      el("status").textContent = `Could not read the queue: ${error.message}`;
    }
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 150);
  }

  function follow() {
    const source = new EventSource("/v1/events");
    source.onopen = () => { el("status").textContent = "Live"; };
    source.onerror = () => { el("status").textContent = "Reconnecting…"; };
    source.onmessage = message => {
      const e = JSON.parse(message.data);
      const list = el("events");
      list.prepend(text("li", `${time(e.at)} ${e.job} ${e.type}${e.reason ? ": " + e.reason : ""}`));
      while (list.children.length > 50) list.lastChild.remove();
      scheduleRefresh();
    };
  }

  refresh().then(follow);
})();
