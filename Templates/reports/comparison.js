// The comparison's table: each heading becomes a button that sorts the rows
// by its column (numbers as numbers, "-" last; again reverses), and the
// columns of values every run shares (headings marked "shared") are hidden
// behind a toggle. The run's column stays in view as the table scrolls.
"use strict";
(function () {
  const table = document.querySelector("main table");
  if (!table || !table.tHead || !table.tBodies[0]) return;
  table.classList.add("comparison");
  const headings = [...table.tHead.rows[0].cells];
  const shared = headings.map((cell) => cell.querySelector(".shared") !== null);
  const number = (text) => {
    const match = /^-?\d[\d,]*(\.\d+)?/.exec(text.trim());
    return match ? parseFloat(match[0].replace(/,/g, "")) : null;
  };
  headings.forEach((cell, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = cell.textContent;
    cell.textContent = "";
    cell.append(button);
    button.addEventListener("click", () => {
      const down = cell.getAttribute("aria-sort") !== "descending";
      for (const other of headings) other.removeAttribute("aria-sort");
      cell.setAttribute("aria-sort", down ? "descending" : "ascending");
      const rows = [...table.tBodies[0].rows];
      rows.sort((a, b) => {
        const x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
        const p = number(x), q = number(y);
        if (p !== null && q !== null) return down ? q - p : p - q;
        if (p === null && q !== null) return 1;
        if (q === null && p !== null) return -1;
        return down ? y.localeCompare(x) : x.localeCompare(y);
      });
      table.tBodies[0].append(...rows);
    });
  });
  const count = shared.filter(Boolean).length;
  if (count === 0) return;
  const show = (visible) => {
    for (const row of table.rows) {
      [...row.cells].forEach((cell, column) => {
        if (shared[column]) cell.hidden = !visible;
      });
    }
  };
  const label = document.createElement("label");
  label.className = "shared-toggle";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.id = "show-shared";
  box.addEventListener("change", () => show(box.checked));
  label.append(box, count === 1 ? " Show the value every run shares" : ` Show the ${count} values every run shares`);
  table.before(label);
  show(false);
})();
