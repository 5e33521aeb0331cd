// The glossary editor's script: send a concept's form (add, edit) or its removal as JSON with
// the CSRF token, then show the concept as saved; an error is shown, nothing lost. A conflict (the
// concept changed on disk meanwhile) puts theirs in the form and shows the fields that differ,
// theirs beside yours, with the segment grid's two ways out: "use mine", "keep theirs".
"use strict";
(function () {
  const { token, post, choices } = window.brochure;
  const form = document.querySelector("form.concept");
  const params = new URLSearchParams(location.search);
  const done = params.get("saved") || params.get("removed");
  if (done) {
    const box = document.querySelector("form.concept .status, .filters .count");
    if (box) box.textContent = (params.get("saved") ? "saved " : "removed ") + done;
  }
  if (!form) return;
  const message = form.querySelector(".message");
  const status = form.querySelector(".status");

  function show(text) {
    message.textContent = text || "";
    message.hidden = !text;
  }

  // A list (admitted, forbidden, forms) is edited one item a line and kept as a|b|c; the cell as
  // the file has it when only its spacing differs (no change to save).
  function listCell(area) {
    const items = (text, sep) => text.split(sep).map((item) => item.trim()).filter(Boolean);
    const joined = items(area.value, "\n").join("|");
    return joined === items(area.dataset.cell, "|").join("|") ? area.dataset.cell : joined;
  }

  // The form's fields as a row of cells (column -> text), as the server keeps them.
  function fields() {
    const out = {};
    for (const input of form.querySelectorAll("input[name], select[name], textarea[name]")) {
      if (input.name === "id" || input.name === "flags") continue;
      out[input.name] = input.classList.contains("list") ? listCell(input) : input.value;
    }
    const flags = Array.from(form.querySelectorAll("input[name=flags]:checked"));
    out.flags = flags.map((f) => f.value).join(",");
    return out;
  }

  // Put a concept's cells (column -> text, as the server sends them) into the form; `asSaved`:
  // they are also what the page now holds as saved (leaving then asks nothing).
  function fill(cells, asSaved) {
    for (const input of form.querySelectorAll("input[name], select[name], textarea[name]")) {
      if (input.name === "id") continue;
      if (input.name === "flags") {
        input.checked = (cells.flags || "").split(",").includes(input.value);
        if (asSaved) input.defaultChecked = input.checked;
        continue;
      }
      const cell = cells[input.name] || "";
      if (input.tagName === "SELECT") {
        if (!Array.from(input.options).some((o) => o.value === cell)) input.add(new Option(cell));
        input.value = cell;
        if (asSaved) for (const o of input.options) o.defaultSelected = o.value === cell;
        continue;
      }
      const list = input.classList.contains("list");
      input.value = list ? listItems(cell).join("\n") : cell;
      if (asSaved) {
        input.defaultValue = input.value;
        if (list) input.dataset.cell = cell;
      }
    }
  }

  function listItems(cell) {
    return cell.split("|").map((item) => item.trim()).filter(Boolean);
  }

  // What a field is called on the page (its label), and a cell as compared and shown.
  const NAMES = { domain: "domain", pos: "part of speech", flags: "flags", note: "note" };
  function label(name) {
    const input = form.querySelector(`[name="${name}"][aria-label]`);
    return input ? input.getAttribute("aria-label") : NAMES[name] || name;
  }
  function isList(name) {
    const input = form.querySelector(`[name="${name}"]`);
    return input !== null && input.classList.contains("list");
  }
  function shown(name, cell) {
    if (name === "flags") return (cell || "").split(",").filter(Boolean).sort().join(", ");
    return isList(name) ? listItems(cell || "").join("\n") : (cell || "").trim();
  }

  // The fields in which `theirs` and `other` differ, as a table: field, theirs, other (`loaded`:
  // the form as the page opened it, to say which of yours "use mine" would put back over theirs).
  function differences(theirs, other, otherHeading) {
    const table = document.createElement("table");
    table.className = "differences";
    const head = table.createTHead().insertRow();
    for (const text of ["", "theirs (on disk now)", otherHeading]) {
      const th = document.createElement("th");
      th.textContent = text;
      head.append(th);
    }
    const body = table.createTBody();
    for (const name of Object.keys(loaded)) {
      const [a, b] = [shown(name, theirs[name]), shown(name, other[name])];
      if (a === b) continue;
      const row = body.insertRow();
      row.dataset.field = name;
      const th = document.createElement("th");
      th.textContent = label(name);
      row.append(th);
      for (const text of [a, b]) row.insertCell().textContent = text || "(empty)";
      if (other !== loaded && b === shown(name, loaded[name])) {
        const note = document.createElement("small");
        note.textContent = " (not changed by you)";
        row.cells[2].append(note);
      }
    }
    return table;
  }

  // A save refused: the form shows theirs (now the version the page holds), the message the
  // fields that differ, "use mine" sends yours again against theirs' version (a third change
  // made in between is refused in turn), "keep theirs" closes the message.
  function conflict(action, mine, data) {
    form.classList.add("conflict");
    form.dataset.version = data.version;
    const theirs = data.theirs;
    if (!theirs) {
      show(data.error + " It was removed from the glossary meanwhile: \"use mine\" adds it back" +
        " with your fields, \"keep theirs\" leaves it removed.");
    } else if (action === "remove") {
      fill(theirs, true);
      show(data.error + " The form shows it as it is now; what changed since you opened it" +
        " (\"use mine\" removes it all the same):");
      message.append(differences(theirs, loaded, "as you opened it"));
    } else {
      fill(theirs, true);
      show(data.error + " The form shows it as it is now; where it differs from yours" +
        " (\"use mine\" saves yours over it):");
      message.append(differences(theirs, mine, "yours (not saved)"));
    }
    choices(message, () => {
      if (action !== "remove") fill(mine, false);
      send(action);
    }, () => {
      form.classList.remove("conflict");
      show("");
      if (!theirs) {
        saved = true;
        location.href = page(form.dataset.id, "removed");
      }
    });
  }

  function page(id, what) {
    const base = id && what === "saved" ? "/glossary/concept/" + encodeURIComponent(id) : "/glossary";
    return base + "?token=" + encodeURIComponent(token) + "&" + what + "=" + encodeURIComponent(id);
  }

  async function send(action) {
    const idInput = form.querySelector("input[name=id]");
    const body = {
      action: action,
      id: idInput ? idInput.value.trim() : form.dataset.id,
      fields: action === "remove" ? {} : fields(),
      version: form.dataset.version,
    };
    status.textContent = "saving…";
    show("");
    let response, data;
    try {
      [response, data] = await post("glossary", body);
    } catch (err) {
      status.textContent = "";
      show("Not saved: " + err.message);
      return;
    }
    status.textContent = "";
    if (response.status === 409) {
      conflict(action, body.fields, data);
      return;
    }
    if (!response.ok) {
      show("Error: " + data.error);
      return;
    }
    saved = true;
    location.href = action === "remove" ? page(body.id, "removed") : page(data.id, "saved");
  }

  // Leaving or reloading the page with a field changed and not saved (typed, or refused by a
  // conflict: the message says to reload) asks first, as the segment grid does.
  let saved = false;
  function changed() {
    return Array.from(form.elements).some((input) =>
      input.type === "checkbox" ? input.checked !== input.defaultChecked
        : input.tagName === "SELECT" // (none marked selected: the first one shows)
          ? input.selectedIndex !== Math.max(0, Array.from(input.options).findIndex((o) => o.defaultSelected))
        : "defaultValue" in input && input.type !== "button" && input.type !== "submit" && input.value !== input.defaultValue);
  }
  window.addEventListener("beforeunload", (event) => {
    if (!saved && (changed() || form.classList.contains("conflict"))) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(form.dataset.action);
  });
  const remove = form.querySelector("button.remove");
  if (remove) {
    remove.addEventListener("click", () => {
      if (confirm("Remove " + form.dataset.id + " from the project's glossary?")) send("remove");
    });
  }
  const loaded = fields(); // the form as the page opened it
  form.dataset.ready = "true"; // the browser tests wait for this
})();
