// Idle timeout: after the configured minutes without a key press, click, touch or scroll, the session is signed out
// (the page posts the layout's sign-out form). While someone is active the page pings /Account/KeepAlive now and then,
// because work inside a Blazor page makes no HTTP request that would renew the sign-in cookie. The layout is rendered
// by Blazor after the page loads, so the setting is looked for until it appears.
(function () {
    let timer = null;
    let lastPing = Date.now();
    function minutes() {
        const marker = document.getElementById("idle-timeout");
        return marker ? parseFloat(marker.dataset.minutes || "0") : NaN;
    }
    function signOut() {
        const form = document.getElementById("signout-form");
        if (!form) { return; }
        form.action = "/Account/SignOut?reason=idle";
        form.submit();
    }
    function reset(event) {
        const m = minutes();
        if (timer) { clearTimeout(timer); timer = null; }
        if (isNaN(m)) { timer = setTimeout(reset, 1000); return; }
        if (m <= 0) { return; }
        timer = setTimeout(signOut, m * 60 * 1000);
        if (event && Date.now() - lastPing > Math.min(60000, m * 60 * 1000 / 3)) {
            lastPing = Date.now();
            fetch("/Account/KeepAlive", { credentials: "same-origin" }).catch(function () { });
        }
    }
    ["keydown", "mousedown", "touchstart", "wheel"].forEach(function (name) {
        document.addEventListener(name, reset, { passive: true, capture: true });
    });
    reset();
})();
