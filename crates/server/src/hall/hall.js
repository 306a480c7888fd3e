// What the hall's pages share (issue 19): the device's token, calls to the server, and the
// pushed view that reconnects by itself when the network or the server comes back.
"use strict";

const Hall = (() => {
  const KEY = "bianmin.device";

  // The administrator's link carries the token after #device=; it is kept on this device and
  // taken out of the address bar.
  function readToken() {
    const m = location.hash.match(/device=([0-9a-f]{64})/);
    if (m) {
      localStorage.setItem(KEY, m[1]);
      history.replaceState(null, "", location.pathname + location.search);
    }
    return localStorage.getItem(KEY) || "";
  }
  const token = readToken();

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  class Refusal extends Error {
    constructor(status, body) {
      super((body && body.message) || `服务器答复 ${status}`);
      this.status = status;
      this.field = body && body.field;
      this.code = body && body.code;
    }
  }

  async function api(path, options = {}) {
    const headers = { Authorization: `Device ${token}` };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(`/api/device/${path}`, {
      method: options.body !== undefined ? "POST" : "GET",
      headers,
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      cache: "no-store",
    });
    const type = res.headers.get("content-type") || "";
    if (!res.ok) {
      throw new Refusal(res.status, type.includes("json") ? await res.json() : null);
    }
    return type.includes("json") ? res.json() : res.arrayBuffer();
  }

  // Follows /api/device/events: onView(name, view) for each pushed view; onState("online" |
  // "offline" | "refused", message). Reconnects every two seconds; a stream silent for 40 s
  // (the server sends a keep-alive every 15 s) is taken as lost.
  async function follow(onView, onState) {
    for (;;) {
      const abort = new AbortController();
      let watchdog;
      const arm = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => abort.abort(), 40000);
      };
      try {
        arm();
        const res = await fetch("/api/device/events", {
          headers: { Authorization: `Device ${token}` },
          cache: "no-store",
          signal: abort.signal,
        });
        if (res.status === 401 || res.status === 400) {
          const body = await res.json().catch(() => null);
          onState("refused", (body && body.message) || "本设备未开通");
          clearTimeout(watchdog);
          await sleep(5000);
          continue;
        }
        if (!res.ok) throw new Error(String(res.status));
        onState("online");
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          arm();
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let name = "message";
            let data = "";
            for (const line of block.split("\n")) {
              if (line.startsWith("event:")) name = line.slice(6).trim();
              else if (line.startsWith("data:")) data += line.slice(5).trim();
            }
            if (data) onView(name, JSON.parse(data));
          }
        }
      } catch (e) {
        // Lost: say so and try again.
      }
      clearTimeout(watchdog);
      onState("offline");
      await sleep(2000);
    }
  }

  // The banner every page shows when it cannot reach the server or has no session.
  function banner(state, message) {
    let el = document.getElementById("hall-banner");
    if (!el) {
      el = document.createElement("div");
      el.id = "hall-banner";
      document.body.appendChild(el);
    }
    if (state === "online") {
      el.hidden = true;
      document.body.dataset.link = "online";
      return;
    }
    el.hidden = false;
    document.body.dataset.link = state;
    el.textContent =
      state === "refused" ? message : message || "与大厅服务器的连接已断开，正在重新连接……";
  }

  // The page's clock shows the hall server's time (Beijing time, as the hall keeps it), not the
  // device's own, which may be wrong or in another zone: the difference is read once a minute.
  function clock(el) {
    let offset = 0;
    const sync = async () => {
      try {
        const me = await api("me");
        const [d, t] = me.now.split(" ");
        const [y, mo, da] = d.split("-").map(Number);
        const [h, mi, se] = t.split(":").map(Number);
        offset = Date.UTC(y, mo - 1, da, h, mi, se) - Date.now();
      } catch (e) {
        // Keep the last difference.
      }
    };
    const tick = () => {
      const d = new Date(Date.now() + offset);
      const p = (n) => String(n).padStart(2, "0");
      el.textContent = `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
    };
    sync().then(tick);
    setInterval(tick, 5000);
    setInterval(sync, 60000);
  }

  const text = (s) => String(s == null ? "" : s);

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (v === true) e.setAttribute(k, "");
      else if (v !== false && v != null) e.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c != null) e.append(c instanceof Node ? c : text(c));
    }
    return e;
  }

  return { token, api, follow, banner, clock, el, sleep, Refusal };
})();
