// The segment grid's script: save a unit when its target (inline Markdown) or state changes,
// Ctrl+Enter to confirm and go to the next unit to do, Alt+Up/Down to move between units (on to
// the next or previous page of the grid once this page's edits are saved). Uses api.js.
"use strict";
(function () {
  const grid = document.querySelector("table.grid");
  if (!grid) return;
  const { post, choices } = window.brochure;
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
    const body = { // the state asked (Ctrl+Enter) shows in the select once saved, not before
      doc: grid.dataset.doc, lang: grid.dataset.lang, id: row.dataset.id,
      target: area.value, state: state || select.value, version: row.dataset.version,
    };
    row.classList.remove("saved", "conflict", "failed");
    let response, data;
    try {
      [response, data] = await post("unit", body);
    } catch (err) {
      return failed(row, err.message);
    }
    if (response.status === 409) {
      row.classList.add("conflict");
      row.dataset.version = data.version;
      show(row, data.error + "\nTheirs (" + data.state + "): " + data.target + "\nYours: " + body.target);
      choose(row, body);
      area.value = data.target;
      area.dataset.saved = data.target; // theirs is not saved again by leaving the target
      renderPieces(row.querySelector(".printed"), data.pieces);
      select.value = data.state;
      row.querySelector(".origin-name").textContent = data.origin;
      showProblems(row, data.problems);
      return false;
    }
    if (!response.ok) return failed(row, data.error);
    row.dataset.version = data.version;
    area.dataset.saved = data.target;
    if (area.value === body.target) area.value = data.target; // as the store keeps it
    renderPieces(row.querySelector(".printed"), data.pieces);
    select.value = data.state;
    row.querySelector(".origin-name").textContent = data.origin; // (the page links stay)
    showProblems(row, data.problems);
    row.classList.add("saved");
    show(row, "");
    return true;
  }

  // A conflict's two ways out, under its message: "use mine" saves the text that was refused over
  // theirs (now the version the page holds), "keep theirs" leaves theirs and closes the message.
  function choose(row, mine) {
    choices(row.querySelector(".message"), () => {
      row.querySelector("textarea").value = mine.target;
      save(row, mine.state);
    }, () => {
      row.classList.remove("conflict");
      show(row, "");
    });
  }

  // A save that did not happen: why, what to do, and that the text typed is still in its box
  // (leaving the page asks first: see "beforeunload" below).
  function failed(row, why) {
    row.classList.add("failed");
    show(row, "Not saved: " + why + ". Your text is still in the box above.");
    return false;
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

  // Every edit on this page saved (a pending save awaited, an unsaved target saved now): true,
  // else false (a conflict or an error is shown on its row and the page stays).
  async function allSaved() {
    const rows = Array.from(grid.querySelectorAll("tr.unit"));
    const results = await Promise.all(rows.map((row) => {
      const area = row.querySelector("textarea");
      return area.value !== area.dataset.saved ? save(row) : queues.get(row) || true;
    }));
    return results.every((ok) => ok !== false);
  }

  // Alt+Down on the last row: the next page's first row; Alt+Up on the first: the previous
  // page's last row (its URL keeps the filters; "#first"/"#last" says which row gets the focus).
  // The server is told the unit left ("after"/"before"), as this page's edits may have taken
  // units out of the filter: it shows the page of the unit next to it (the grid's data-focus);
  // `todo` (Ctrl+Enter): the next one not yet reviewed or final, where there is one.
  async function turnPage(up, todo) {
    const page = Number(grid.dataset.page) + (up ? -1 : 1);
    if (page < 1 || page > Number(grid.dataset.pages) || !(await allSaved())) return;
    const rows = grid.querySelectorAll("tr.unit");
    const url = new URL(location.href);
    for (const name of ["after", "before", "next", "page"]) url.searchParams.delete(name);
    url.searchParams.set(up ? "before" : "after", rows[up ? 0 : rows.length - 1].dataset.id);
    if (todo) url.searchParams.set("next", "todo");
    url.searchParams.set("page", page);
    url.hash = up ? "last" : "first";
    location.assign(url.href);
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
        else turnPage(event.key === "ArrowUp");
        return;
      }
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        const state = APPROVED.includes(select.value) ? select.value : "reviewed";
        if (await save(row, state)) {
          const next = nextToDo(row);
          if (next) next.querySelector("textarea").focus();
          else turnPage(false, true); // the last row: the next page's next unit to do
        }
      }
    });
  }
  // Leaving or reloading the page while a target is not saved (being saved, refused, or typed and
  // not yet left), or while a conflict shows the text that was not saved: the browser asks first.
  window.addEventListener("beforeunload", (event) => {
    const unsaved = Array.from(grid.querySelectorAll("tr.unit")).some((row) => {
      const area = row.querySelector("textarea");
      return area.value !== area.dataset.saved || row.classList.contains("conflict");
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = ""; // (older browsers ask only when this is set)
    }
  });
  const rows = grid.querySelectorAll("tr.unit");
  const focus = grid.dataset.focus && grid.querySelector(`tr.unit[data-id="${grid.dataset.focus}"]`);
  const arrived = focus || { "#first": rows[0], "#last": rows[rows.length - 1] }[location.hash];
  if (arrived) arrived.querySelector("textarea").focus(); // from the other page (turnPage)
  window.brochureGrid = { grid, renderPieces }; // for the context panel (context.js)
  grid.dataset.ready = "true"; // every row listens now (the browser tests wait for this)
})();
