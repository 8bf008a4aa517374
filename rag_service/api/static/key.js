// The API key, for the chat page and the paper reader alike: asked once, when the server answers 401, and kept in
// this tab's session storage. The dialog that asks for it is added here, so both pages show the same one.
"use strict";

const KEY = "notes-rag-api-key";

document.body.insertAdjacentHTML("beforeend", `
<dialog id="key-dialog" aria-labelledby="key-title">
  <form method="dialog">
    <h2 id="key-title">API key</h2>
    <p>This server needs a key. It is kept for this browser tab only.</p>
    <label for="key-input">Key</label>
    <input id="key-input" type="password" autocomplete="off">
    <div class="row">
      <button value="save" id="key-save">Save</button>
      <button value="cancel" class="quiet">Cancel</button>
    </div>
  </form>
</dialog>`);

function keyHeaders(extra = {}) {
  const key = sessionStorage.getItem(KEY);
  return key ? {...extra, Authorization: "Bearer " + key} : {...extra};
}

function askKey() {
  const dialog = document.getElementById("key-dialog");
  const input = document.getElementById("key-input");
  input.value = sessionStorage.getItem(KEY) || "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      if (dialog.returnValue === "save") sessionStorage.setItem(KEY, input.value.trim());
      resolve(dialog.returnValue === "save");
    }, {once: true});
    dialog.showModal();
  });
}

// fetch with the key; on a 401, ask for it once and try again
async function keyedFetch(path, init = {}, extra = {}) {
  let resp = await fetch(path, {...init, headers: keyHeaders(extra)});
  if (resp.status === 401 && await askKey()) resp = await fetch(path, {...init, headers: keyHeaders(extra)});
  return resp;
}
