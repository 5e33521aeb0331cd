// The context panel of the segment grid: for the target being edited, its glossary concepts
// (one click inserts a term's form at the cursor), the forbidden terms in it as you type (the
// server's glossary finds them, after a pause in typing), the best memory matches and, when a
// model is installed, a machine draft with the glossary's choice among the hypotheses marked.
// Every text is set with textContent: nothing from the server is read as markup.
"use strict";
(function () {
  const shared = window.brochureGrid;
  if (!shared) return;
  const { grid, renderPieces } = shared;
  const { get, post } = window.brochure;
  const panel = document.querySelector("aside.context");
  const CHECK_DELAY_MS = 300;
  let current = null; // the row whose target has (or last had) the focus
  let asked = 0; // the latest context request: an older answer arriving late is dropped

  function unitOf(row) {
    return { doc: grid.dataset.doc, lang: grid.dataset.lang, id: row.dataset.id };
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // A button that acts on the current target without taking the focus from it.
  function button(label, action, className) {
    const b = el("button", label, className);
    b.type = "button";
    b.addEventListener("mousedown", (event) => event.preventDefault());
    b.addEventListener("click", action);
    return b;
  }

  function area() {
    return current && current.querySelector("textarea");
  }

  function insert(text) {
    const box = area();
    if (!box) return;
    box.focus();
    box.setRangeText(text, box.selectionStart, box.selectionEnd, "end");
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function replaceAll(text) {
    const box = area();
    if (!box) return;
    box.focus();
    box.value = text;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function section(name, items) {
    const part = panel.querySelector("section." + name);
    part.querySelector("ul, ol").replaceChildren(...items);
    part.hidden = items.length === 0;
  }

  function conceptItem(c) {
    const item = el("li");
    item.dataset.concept = c.id;
    item.append(el("b", c.source), " ", el("span", "(" + c.id + ")", "concept-id"), ": ");
    c.approved.forEach((term, i) => item.append(i ? ", " : "", el("span", term, "status-approved")));
    if (c.forbidden.length) {
      item.append("; not ");
      c.forbidden.forEach((term, i) => item.append(i ? ", " : "", el("span", term, "status-forbidden")));
    }
    if (c.insert) {
      item.append(" ", button("insert «" + c.insert + "»", () => insert(c.insert), "insert"));
    }
    if (c.forms.length > 1) {
      const pick = el("select", undefined, "forms");
      pick.setAttribute("aria-label", "forms of " + c.id);
      pick.append(el("option", "other form…"));
      for (const f of c.forms) {
        const option = el("option", f.form + (f.tags ? " (" + f.tags + ")" : ""));
        option.value = f.form;
        pick.append(option);
      }
      pick.addEventListener("change", () => {
        if (pick.selectedIndex > 0) insert(pick.value);
        pick.selectedIndex = 0;
      });
      item.append(" ", pick);
    }
    if (c.note) item.append(el("div", c.note, "hint"));
    return item;
  }

  function memoryItem(m) {
    const item = el("li");
    item.append(el("span", m.score + "% ", "score"), el("span", m.target), " ");
    item.append(button("use", () => replaceAll(m.target), "use"));
    item.append(el("div", m.source, "hint"), el("div", m.origin, "origin-file"));
    return item;
  }

  async function showContext(row) {
    const mine = ++asked;
    panel.querySelector(".panel-hint").hidden = true;
    let data;
    try {
      let response;
      [response, data] = await get("context", unitOf(row));
      if (!response.ok) throw new Error(data.error);
    } catch (err) {
      panel.querySelector(".panel-hint").hidden = false;
      panel.querySelector(".panel-hint").textContent = "Context not available: " + err.message;
      return;
    }
    if (mine !== asked) return;
    panel.dataset.unit = data.id;
    section("concepts", data.concepts.map(conceptItem));
    section("memory", data.memory.map(memoryItem));
    const mt = panel.querySelector("section.mt");
    mt.hidden = false;
    mt.querySelector("button.draft").hidden = !data.mt.available;
    mt.querySelector(".mt-state").textContent = data.mt.available
      ? data.mt.engine : "No machine draft: " + data.mt.message;
    mt.querySelector("ol").replaceChildren();
    panel.dataset.ready = data.id; // the browser tests wait for this
  }

  // The forbidden terms of the target as typed, marked in its preview and listed in the panel.
  const timers = new WeakMap();
  async function check(row) {
    const box = row.querySelector("textarea");
    const text = box.value;
    let response, data;
    try {
      [response, data] = await post("check", { ...unitOf(row), target: text });
    } catch (err) {
      return;
    }
    if (!response.ok || box.value !== text) return; // typed on meanwhile: a newer check comes
    renderPieces(row.querySelector(".printed"), data.pieces);
    row.dataset.forbidden = String(data.forbidden.length);
    if (row === current) {
      section("forbidden", data.forbidden.map((f) => {
        const item = el("li");
        item.append(el("mark", f.text, "forbidden"), " (" + f.concept + ")");
        if (f.use) item.append(": use «" + f.use + "»");
        return item;
      }));
    }
  }

  function checkSoon(row) {
    clearTimeout(timers.get(row));
    timers.set(row, setTimeout(() => check(row), CHECK_DELAY_MS));
  }

  async function draft() {
    const row = current;
    if (!row) return;
    const mt = panel.querySelector("section.mt");
    const list = mt.querySelector("ol");
    mt.querySelector(".mt-state").textContent = "translating…";
    let response, data;
    try {
      [response, data] = await post("draft", unitOf(row));
    } catch (err) {
      mt.querySelector(".mt-state").textContent = "No draft: " + err.message;
      return;
    }
    if (row !== current) return;
    if (!response.ok) {
      mt.querySelector(".mt-state").textContent = "No draft: " + data.error;
      return;
    }
    mt.querySelector(".mt-state").textContent = data.engine;
    const items = data.hypotheses.map((h) => {
      const item = el("li", undefined, h.chosen ? "chosen" : "");
      item.append(el("span", h.text), " ", el("span", "(" + h.score + ")", "score"));
      if (h.chosen) item.append(" ", el("span", "the glossary's choice", "choice"));
      return item;
    });
    const use = el("li", undefined, "draft");
    use.append(el("span", data.draft), " ", button("use this draft", () => replaceAll(data.draft), "use"));
    for (const note of data.notes) use.append(el("div", note, "hint"));
    list.replaceChildren(...items, use);
  }

  panel.querySelector("button.draft").addEventListener("mousedown", (e) => e.preventDefault());
  panel.querySelector("button.draft").addEventListener("click", draft);
  for (const row of grid.querySelectorAll("tr.unit")) {
    const box = row.querySelector("textarea");
    box.addEventListener("focus", () => {
      if (current === row) return;
      current = row;
      showContext(row);
      check(row);
    });
    box.addEventListener("input", () => checkSoon(row));
  }
  panel.dataset.wired = "true";
})();
