// Makes the comparison's table sortable: each heading becomes a button that
// sorts the rows by its column (numbers as numbers, "-" last); again reverses.
"use strict";
(function () {
  const table = document.querySelector("main table");
  if (!table || !table.tBodies[0]) return;
  const number = (text) => {
    const value = parseFloat(text.replace(/[%,]/g, ""));
    return Number.isNaN(value) ? null : value;
  };
  [...table.tHead.rows[0].cells].forEach((cell, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = cell.textContent;
    cell.textContent = "";
    cell.append(button);
    button.addEventListener("click", () => {
      const down = cell.getAttribute("aria-sort") !== "descending";
      for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
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
})();
