// The join page of a Cutline rating round: join with a name, rate (or buy) from this device.
// Text from the host is always set with textContent, never parsed as HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const views = ["code-view", "join-view", "rate-view", "buy-view", "done-view"];
  const match = location.pathname.match(/^\/j\/([A-Za-z0-9-]{1,16})$/);
  const code = match ? match[1].toUpperCase().replace(/-/g, "") : "";
  const tokenKey = "cutline-room-" + code;
  let token = sessionStorage.getItem(tokenKey) || "";
  let page = null;      // what /me last said
  let at = 0;           // the initiative shown
  let poller = null;

  // Answers go one at a time, in the order given: two taps in quick succession must not reach
  // the laptop in the other order (the last tap is the rating kept).
  let queue = Promise.resolve();
  function inOrder(task) {
    const next = queue.then(task, task);
    queue = next.catch(() => {});
    return next;
  }

  function show(id) { views.forEach((v) => { $(v).hidden = v !== id; }); }
  function say(text, problem) {
    $("message").textContent = text || "";
    $("message").classList.toggle("problem", !!problem);
  }
  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.entries(props || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    });
    (children || []).forEach((c) => node.appendChild(c));
    return node;
  }

  async function api(path, body) {
    const options = { headers: {}, cache: "no-store" };
    if (token) options.headers.Authorization = "Bearer " + token;
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch("/api/" + code + "/" + path, options);
    } catch (e) {
      const err = new Error("The host's laptop cannot be reached. Check the Wi-Fi, then try again.");
      err.status = 0;
      throw err;
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const err = new Error(data.error || "Something went wrong; try again.");
      err.status = response.status;
      throw err;
    }
    return data;
  }

  function closed(text) {
    if (poller) clearInterval(poller);
    show("done-view");
    if (text) $("done-text").textContent = text;
  }

  // -- joining ---------------------------------------------------------------------------------
  async function start() {
    if (!code) {
      show("code-view");
      $("code-form").addEventListener("submit", (e) => {
        e.preventDefault();
        const typed = $("code").value.toUpperCase().replace(/[^A-Z0-9]/g, "");
        if (typed) location.assign("/j/" + typed);
      });
      return;
    }
    if (token) {
      try { await refresh(); return; } catch (e) {
        if (e.status !== 401) { say(e.message, true); return; }
        token = ""; sessionStorage.removeItem(tokenKey);
      }
    }
    try {
      const info = await api("info");
      if (info.state !== "open") { closed(); return; }
      showJoin(info);
    } catch (e) {
      show("code-view");
      say(e.message, true);
      $("code-form").addEventListener("submit", (ev) => {
        ev.preventDefault();
        location.assign("/j/" + $("code").value.toUpperCase().replace(/[^A-Z0-9]/g, ""));
      });
    }
  }

  function showJoin(info) {
    show("join-view");
    const roles = info.roles || [];
    $("roles").hidden = roles.length === 0;
    roles.forEach((role, n) => {
      const input = el("input", { type: "radio", name: "role", value: role.name, id: "role-" + n });
      if (n === 0) input.checked = true;
      $("role-list").appendChild(el("label", { class: "role", for: "role-" + n }, [
        input, el("span", { text: role.name + " — rates " + role.criteria.join(", ") })]));
    });
    $("name").focus();
    $("join-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const picked = document.querySelector("input[name=role]:checked");
      $("join").disabled = true;
      try {
        const answer = await api("join", { name: $("name").value, role: picked ? picked.value : null });
        token = answer.token;
        sessionStorage.setItem(tokenKey, token);
        say("");
        await refresh();
      } catch (err) {
        say(err.message, true);
      } finally {
        $("join").disabled = false;
      }
    });
  }

  async function refresh() {
    page = await api("me");
    $("who").textContent = page.name + (page.role && page.role !== "Everyone" ? " · " + page.role : "");
    if (page.state !== "open") { closed(); return; }
    if (page.kind === "budget") drawShop(); else drawRating();
    if (!poller) poller = setInterval(poll, 4000);
  }

  async function poll() {
    try {
      const now = await api("me");
      if (now.state !== "open") closed();
    } catch (e) {
      if (e.status === 401) closed("The host has taken this device out of the round.");
      else if (e.status === 0 || e.status === 404) closed();
    }
  }

  // -- rating ----------------------------------------------------------------------------------
  function rated(ident) { return Object.keys((page.ratings || {})[ident] || {}).length; }
  function doneCount() {
    return page.initiatives.reduce((sum, i) => sum + rated(i.id), 0);
  }

  function drawRating() {
    show("rate-view");
    const total = page.initiatives.length;
    at = Math.max(0, Math.min(at, total - 1));
    const initiative = page.initiatives[at];
    $("position").textContent = (at + 1) + " of " + total;
    $("prev").disabled = at === 0;
    $("next").disabled = at === total - 1;
    $("progress").textContent = doneCount() + " of " + total * page.criteria.length + " rated · hidden until the reveal";
    $("ident").textContent = initiative.id;
    $("title").textContent = initiative.title || initiative.id;
    const box = $("criteria");
    box.replaceChildren();
    page.criteria.forEach((scale) => box.appendChild(drawScale(initiative.id, scale)));
    drawList();
  }

  function shown(scale, value) {
    if (scale.criterion === "confidence") return Math.round(value * 100) + "%";
    return String(Math.round(value * 100) / 100);
  }

  function choices(scale) {
    if (scale.words.length) return scale.words.map(([word, number]) => ({ label: word, value: number }));
    if (scale.high === null) return null;
    const out = [];
    for (let v = scale.low; v <= scale.high + 1e-9; v += scale.step) {
      const value = Math.round(v * 100) / 100;
      out.push({ label: shown(scale, value), value: value });
    }
    return out;
  }

  function drawScale(ident, scale) {
    const current = ((page.ratings || {})[ident] || {})[scale.criterion];
    const state = el("p", { class: "state", "aria-live": "polite" });
    if (current !== undefined) { state.textContent = "Saved"; state.classList.add("saved"); }
    const heading = el("h3", {}, [el("span", { text: scale.criterion }), el("span", { class: "hint", text: scale.hint })]);
    const wrap = el("div", { class: "criterion", role: "group", "aria-label": scale.criterion + ", " + scale.hint }, [heading]);
    const options = choices(scale);
    if (options) {
      const grid = el("div", { class: "scale" + (scale.words.length ? " words" : "") });
      options.forEach((option) => {
        const pressed = current !== undefined && Math.abs(current - option.value) < 1e-9;
        const button = el("button", { type: "button", "aria-pressed": String(pressed),
                                      "data-value": String(option.value) });
        button.appendChild(document.createTextNode(option.label));
        if (scale.words.length) button.appendChild(el("small", { text: shown(scale, option.value) }));
        button.addEventListener("click", () => send(ident, scale.criterion, option.value, state));
        grid.appendChild(button);
      });
      wrap.appendChild(grid);
    } else {
      const input = el("input", { type: "number", min: String(scale.low), step: "any", inputmode: "decimal",
                                  "aria-label": scale.criterion });
      if (current !== undefined) input.value = String(current);
      const save = el("button", { type: "button", text: "Save" });
      const go = () => {
        const value = Number(input.value);
        if (input.value.trim() === "" || !Number.isFinite(value)) { problem(state, "Type a number."); return; }
        send(ident, scale.criterion, value, state);
      };
      save.addEventListener("click", go);
      input.addEventListener("keydown", (e) => { if (e.key === "Enter") go(); });
      wrap.appendChild(el("div", { class: "free" }, [input, save]));
    }
    wrap.appendChild(state);
    return wrap;
  }

  function problem(state, text) {
    state.textContent = text;
    state.classList.remove("saved");
    state.classList.add("problem");
  }

  async function send(ident, criterion, value, state) {
    state.textContent = "Saving…";
    state.classList.remove("saved", "problem");
    try {
      await inOrder(() => api("rate", { ratings: [[ident, criterion, value]] }));
      page.ratings = page.ratings || {};
      (page.ratings[ident] = page.ratings[ident] || {})[criterion] = value;
      const showing = page.initiatives[at].id === ident;
      if (showing) drawRating();
      const again = showing ? [...document.querySelectorAll("#criteria .criterion")]
        .find((node) => node.querySelector("h3 span").textContent === criterion) : null;
      const target = again ? again.querySelector(".state") : state;
      target.textContent = "Saved";
      target.classList.add("saved");
      if (again) {
        const pressed = again.querySelector("button[aria-pressed=true]");
        if (pressed) pressed.focus();
      }
    } catch (e) {
      problem(state, "Not saved: " + e.message);
      if (e.status === 401 || e.status === 409) closed(e.status === 401 ? "The host has taken this device out of the round." : undefined);
    }
  }

  function drawList() {
    const list = $("list");
    list.replaceChildren();
    page.initiatives.forEach((initiative, n) => {
      const button = el("button", { type: "button", class: n === at ? "current" : "" }, [
        el("span", { text: initiative.id + "  " + (initiative.title || "") }),
        el("span", { text: rated(initiative.id) + "/" + page.criteria.length })]);
      button.addEventListener("click", () => { at = n; drawRating(); $("card").scrollIntoView(); });
      list.appendChild(el("li", {}, [button]));
    });
  }

  function move(step) {
    if (!page || page.kind !== "rating") return;
    at = Math.max(0, Math.min(at + step, page.initiatives.length - 1));
    drawRating();
  }

  $("prev").addEventListener("click", () => move(-1));
  $("next").addEventListener("click", () => move(1));
  $("list-toggle").addEventListener("click", () => {
    const open = $("list").hidden;
    $("list").hidden = !open;
    $("list-toggle").setAttribute("aria-expanded", String(open));
  });
  document.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLInputElement) return;
    if (e.key === "ArrowLeft") move(-1);
    if (e.key === "ArrowRight") move(1);
  });

  // -- budget voting ---------------------------------------------------------------------------
  function spent(ids) { return ids.reduce((sum, id) => sum + page.prices[id], 0); }

  function drawShop() {
    show("buy-view");
    const bought = new Set(page.bought);
    $("left").textContent = "Left to spend: " + shown({}, page.budget - spent([...bought])) + " of " + shown({}, page.budget);
    const shop = $("shop");
    shop.replaceChildren();
    page.initiatives.forEach((initiative, n) => {
      const box = el("input", { type: "checkbox", id: "buy-" + n, "data-id": initiative.id });
      box.checked = bought.has(initiative.id);
      box.addEventListener("change", () => buy(box));
      shop.appendChild(el("li", {}, [el("label", { for: "buy-" + n }, [
        box, el("span", { text: initiative.id + " · " + (initiative.title || "") }),
        el("span", { class: "price", text: shown({}, page.prices[initiative.id]) })])]));
    });
  }

  async function buy(box) {
    const ids = [...document.querySelectorAll("#shop input:checked")].map((b) => b.dataset.id);
    if (spent(ids) > page.budget + 1e-9) {
      box.checked = false;
      say("That would cost more than your budget; untick something first.", true);
      return;
    }
    say("Saving…");
    try {
      await inOrder(() => api("buy", { ids: ids }));
      page.bought = ids;
      drawShop();
      say("Saved");
    } catch (e) {
      box.checked = !box.checked;
      say("Not saved: " + e.message, true);
    }
  }

  start();
})();
