// The workbench's one script: save a unit when its target (inline Markdown) or state changes,
// Ctrl+Enter to confirm and go to the next unit to do, Alt+Up/Down to move between units.
// No framework, no build step.
"use strict";
(function () {
  const token = document.querySelector('meta[name="brochure-token"]').content;
  const csrf = document.querySelector('meta[name="brochure-csrf"]').content;
  const grid = document.querySelector("table.grid");
  if (!grid) return;
  const APPROVED = ["reviewed", "final"];

  function show(row, text) {
    const box = row.querySelector(".message");
    box.textContent = text || "";
    box.hidden = !text;
  }

  // One save at a time per row, each sending the version the previous one returned.
  const queues = new WeakMap();
  function save(row, state) {
    const done = (queues.get(row) || Promise.resolve()).then(() => send(row, state));
    queues.set(row, done.catch(() => false));
    return done;
  }

  async function send(row, state) {
    const area = row.querySelector("textarea");
    const select = row.querySelector("select");
    if (state) select.value = state;
    const body = {
      doc: grid.dataset.doc, lang: grid.dataset.lang, id: row.dataset.id,
      target: area.value, state: select.value, version: row.dataset.version,
    };
    row.classList.remove("saved", "conflict", "failed");
    let response, data;
    try {
      response = await fetch("/api/unit?token=" + encodeURIComponent(token), {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(body),
      });
      data = await response.json();
    } catch (err) {
      row.classList.add("failed");
      show(row, "Not saved: " + err);
      return false;
    }
    if (response.status === 409) {
      row.classList.add("conflict");
      row.dataset.version = data.version;
      show(row, data.error + "\nTheirs (" + data.state + "): " + data.target + "\nYours: " + body.target);
      area.value = data.target;
      area.dataset.saved = data.target; // theirs is not saved again by leaving the target
      renderPieces(row.querySelector(".printed"), data.pieces);
      select.value = data.state;
      return false;
    }
    if (!response.ok) {
      row.classList.add("failed");
      show(row, "Error: " + data.error);
      return false;
    }
    row.dataset.version = data.version;
    area.dataset.saved = data.target;
    if (area.value === body.target) area.value = data.target; // as the store keeps it
    renderPieces(row.querySelector(".printed"), data.pieces);
    select.value = data.state;
    row.querySelector(".origin").textContent = data.origin;
    showProblems(row, data.problems);
    row.classList.add("saved");
    show(row, "");
    return true;
  }

  // A text's pieces (from the server: text and the kinds of markup over it) as spans whose
  // classes show emphasis, notes and forbidden terms; text only, never markup from the server.
  function renderPieces(box, pieces) {
    box.replaceChildren();
    for (const piece of pieces) {
      const span = document.createElement("span");
      span.className = piece.kinds.join(" ");
      span.textContent = piece.text;
      box.append(span);
    }
    box.hidden = pieces.length === 0;
  }

  function showProblems(row, problems) {
    const list = row.querySelector("ul.problems");
    list.replaceChildren();
    for (const p of problems) {
      const item = document.createElement("li");
      item.className = p.severity;
      item.dataset.code = p.code;
      item.textContent = p.severity + ": " + p.message;
      list.append(item);
    }
  }

  function nextToDo(row) {
    const rows = Array.from(grid.querySelectorAll("tr.unit"));
    const after = rows.slice(rows.indexOf(row) + 1);
    return after.find((r) => !APPROVED.includes(r.querySelector("select").value)) || after[0];
  }

  for (const row of grid.querySelectorAll("tr.unit")) {
    const area = row.querySelector("textarea");
    const select = row.querySelector("select");
    area.dataset.saved = area.value;
    // leaving a target saves it (also a change made by an insert button of the context panel)
    area.addEventListener("blur", () => {
      if (area.value !== area.dataset.saved) save(row);
    });
    select.addEventListener("change", () => save(row));
    area.addEventListener("keydown", async (event) => {
      if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
        event.preventDefault(); // leaving the target saves it (change event)
        const rows = Array.from(grid.querySelectorAll("tr.unit"));
        const to = rows[rows.indexOf(row) + (event.key === "ArrowUp" ? -1 : 1)];
        if (to) to.querySelector("textarea").focus();
        return;
      }
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        const state = APPROVED.includes(select.value) ? select.value : "reviewed";
        if (await save(row, state)) {
          const next = nextToDo(row);
          if (next) next.querySelector("textarea").focus();
        }
      }
    });
  }
  window.brochureGrid = { token, csrf, grid, renderPieces }; // for the context panel (context.js)
  grid.dataset.ready = "true"; // every row listens now (the browser tests wait for this)
})();
