// Idle timeout: after the configured minutes without a key press, click or touch, the session is signed out.
(function () {
    let timer = null;
    function minutes() {
        const marker = document.getElementById("idle-timeout");
        return marker ? parseInt(marker.dataset.minutes || "0", 10) : 0;
    }
    function signOut() {
        const form = document.getElementById("signout-form");
        if (!form) { return; }
        form.action = "/Account/SignOut?reason=idle";
        form.submit();
    }
    function reset() {
        const m = minutes();
        if (timer) { clearTimeout(timer); }
        if (m > 0) { timer = setTimeout(signOut, m * 60 * 1000); }
    }
    ["keydown", "mousedown", "touchstart", "wheel"].forEach(function (name) {
        document.addEventListener(name, reset, { passive: true, capture: true });
    });
    document.addEventListener("DOMContentLoaded", reset);
    reset();
})();
