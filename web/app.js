// vigil web shell: progressive enhancement only; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
	// Render UTC times in the reader's local time as a tooltip.
	for (const td of document.querySelectorAll("time[datetime]")) {
		const d = new Date(td.getAttribute("datetime"));
		if (!isNaN(d)) td.title = d.toLocaleString();
	}
});
