// Passkeys: a button with data-passkey="register | second-factor | sign-in" runs that ceremony with the server
// (/Account/Passkey/Options, then the browser's authenticator, then /Account/Passkey/Finish). What happens is written
// into the element named by the button's data-passkey-status (a live region), and a sign-in that completes goes on to
// the page it was for. The requests carry X-AuditTool-Passkey, which the server requires.
(function () {
    async function post(url, body) {
        const response = await fetch(url, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-AuditTool-Passkey": "1" },
            body: JSON.stringify(body)
        });
        let answer = {};
        try { answer = await response.json(); } catch (e) { answer = {}; }
        if (!response.ok) { throw new Error(answer.message || "The server refused the passkey (" + response.status + ")."); }
        return answer;
    }

    function say(button, text, problem) {
        const status = document.getElementById(button.dataset.passkeyStatus || "");
        if (!status) { return; }
        status.textContent = text;
        status.classList.toggle("error-summary", !!problem);
        status.classList.toggle("info-summary", !problem);
        status.hidden = false;
        if (problem) { status.setAttribute("tabindex", "-1"); status.focus(); }
    }

    async function run(button) {
        const purpose = button.dataset.passkey;
        if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) {
            say(button, "This browser cannot use passkeys. Use a code from your authenticator app instead.", true);
            return;
        }
        button.disabled = true;
        try {
            say(button, "Follow your browser's prompt to use your passkey…", false);
            const started = await post("/Account/Passkey/Options", { purpose: purpose });
            const credential = purpose === "register"
                ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(started.options) })
                : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(started.options) });
            const nameInput = document.getElementById(button.dataset.passkeyName || "");
            const params = new URLSearchParams(window.location.search);
            const done = await post("/Account/Passkey/Finish", {
                purpose: purpose,
                ceremony: started.ceremony,
                credential: credential.toJSON(),
                name: nameInput ? nameInput.value : null,
                returnUrl: params.get("returnUrl") || params.get("ReturnUrl")
            });
            say(button, done.message, false);
            if (done.redirect) { window.location.assign(done.redirect); }
            else if (button.dataset.passkeyReload !== undefined) { window.location.reload(); }
        } catch (error) {
            const cancelled = error && error.name === "NotAllowedError";
            say(button, cancelled ? "The passkey was not used (the prompt was closed or timed out). Try again." : error.message, true);
        } finally {
            button.disabled = false;
        }
    }

    document.addEventListener("click", function (event) {
        const button = event.target.closest("button[data-passkey]");
        if (button) { event.preventDefault(); run(button); }
    });
})();
