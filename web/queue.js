// queue.js - the findings queue (/ui/findings): a box that selects every
// row of the page, and the number of selected rows beside the bulk form.
// Enhancement only: without it, rows are ticked one by one (or "all
// matching the filter" is chosen) and the server counts them.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
	const all = document.getElementById("select-page");
	const form = document.getElementById("bulk");
	if (!all || !form) return;
	const boxes = () => [...document.querySelectorAll('#findings input[name="id"][form="bulk"]')];
	const out = document.getElementById("n-selected");
	const sel = form.querySelector('input[name="target"][value="selected"]');
	const show = () => {
		const n = boxes().filter((b) => b.checked).length;
		if (out) out.textContent = n ? `(${n})` : "";
		all.checked = n > 0 && n === boxes().length;
		all.indeterminate = n > 0 && n < boxes().length;
	};
	all.hidden = false;
	all.addEventListener("change", () => {
		for (const b of boxes()) b.checked = all.checked;
		if (all.checked && sel) sel.checked = true;
		show();
	});
	for (const b of boxes())
		b.addEventListener("change", () => {
			if (b.checked && sel) sel.checked = true;
			show();
		});
	show();
});
