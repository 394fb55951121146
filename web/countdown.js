// countdown.js - keeps the clocks of a case page ticking (progressive
// enhancement: the server already wrote each due time and the time left).
//
// Each <span class="countdown" data-due data-now data-starts> holds the due
// time, the server's clock when the page was drawn and the start of the
// window (Unix seconds). Time is counted from the server's clock plus the
// seconds elapsed here, so a browser with a wrong clock shows the same as
// the server. Crossing half the window marks the clock "due"; crossing the
// due time marks it "overdue — deadline breached", as the server would.
// A span with data-urgent (Unix seconds) turns "due" at that time instead
// (the TUF page: a quarter of the lifetime left); an item with
// data-label-STATE attributes shows those words instead of the state names.
"use strict";
(() => {
	const two = (n) => String(n).padStart(2, "0");

	// "1d 02h 03m 04s" / "2h 03m 04s", as the server writes it.
	function left(s) {
		const a = Math.abs(s);
		const d = Math.floor(a / 86400);
		const h = Math.floor((a % 86400) / 3600);
		const m = Math.floor((a % 3600) / 60);
		const sec = a % 60;
		return (d ? `${d}d ${two(h)}h` : `${h}h`) + ` ${two(m)}m ${two(sec)}s`;
	}

	function setState(item, state) {
		if (!item || item.classList.contains(`clock-${state}`)) return;
		for (const c of ["clock-pending", "clock-due", "clock-overdue"]) item.classList.remove(c);
		item.classList.add(`clock-${state}`);
		const label = item.querySelector(".clock-state");
		const own = item.dataset[`label${state[0].toUpperCase()}${state.slice(1)}`];
		if (label)
			label.textContent = own || (state === "overdue" ? "overdue \u2014 deadline breached" : state);
	}

	function start() {
		const clocks = [...document.querySelectorAll(".countdown[data-due][data-now]")].map((el) => ({
			el,
			due: Number(el.dataset.due),
			now: Number(el.dataset.now),
			starts: Number(el.dataset.starts || el.dataset.now),
			urgent: el.dataset.urgent ? Number(el.dataset.urgent) : null,
			item: el.closest(".clock"),
		}));
		if (!clocks.length) return;
		const t0 = Date.now();
		const tick = () => {
			const elapsed = Math.floor((Date.now() - t0) / 1000);
			for (const c of clocks) {
				const now = c.now + elapsed;
				const rest = c.due - now;
				c.el.textContent = rest >= 0 ? `${left(rest)} left` : `overdue by ${left(-rest)}`;
				if (rest < 0) setState(c.item, "overdue");
				else if (now >= (c.urgent ?? c.starts + Math.floor((c.due - c.starts) / 2)))
					setState(c.item, "due");
				c.el.dataset.live = "1";
			}
		};
		tick();
		setInterval(tick, 1000);
	}

	if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
	else start();
})();
