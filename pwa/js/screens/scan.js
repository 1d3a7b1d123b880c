// 扫码: read a place's QR label with the camera (BarcodeDetector, else the vendored jsQR), or type
// the code printed under it.
import { navigate } from "../session.js";
import { h, screenTitle } from "../ui.js";

// Pure: the place token inside a scanned text: a bare code, or a label's link …/#/p/<token>.
export function tokenFromText(text) {
  const value = String(text || "").trim();
  const match = value.match(/(?:#\/p|places?(?:\/by-token)?)\/([A-Za-z0-9_-]+)/);
  return (match ? match[1] : value).replace(/[^A-Za-z0-9_-]/g, "");
}

function loadJsQR() {
  if (window.jsQR) return Promise.resolve(window.jsQR);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "/vendor/jsqr/jsQR.js";
    script.onload = () => resolve(window.jsQR);
    script.onerror = () => reject(new Error("扫码组件加载失败"));
    document.head.append(script);
  });
}

async function makeDetector() {
  if ("BarcodeDetector" in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) {
        const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return async (video) => (await detector.detect(video))[0]?.rawValue || null;
      }
    } catch {
      // fall back to jsQR
    }
  }
  const jsQR = await loadJsQR();
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  return async (video) => {
    const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    if (!canvas.width || !canvas.height) return null;
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const frame = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" })?.data || null;
  };
}

export function mount(container) {
  let stream = null;
  let stopped = false;
  const note = h("p.muted", { role: "status" }, "正在打开相机…");
  const video = h("video.scanner", { muted: true, playsInline: true, autoplay: true, "aria-label": "相机取景" });
  const code = h("input", { id: "place-code", name: "place-code", autocomplete: "off", autocapitalize: "characters", placeholder: "例如 A1B2C3" });
  const go = (token, qr) => {
    const value = tokenFromText(token);
    if (value) navigate(`#/place/${encodeURIComponent(value)}${qr ? "?qr=1" : ""}`);
  };

  async function start() {
    if (!navigator.mediaDevices?.getUserMedia) {
      note.textContent = "此浏览器无法使用相机，请手动输入检查点编码。";
      video.hidden = true;
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch {
      note.textContent = "未获得相机权限或没有相机，请手动输入检查点编码。";
      video.hidden = true;
      return;
    }
    if (stopped) return stop();
    video.srcObject = stream;
    await video.play().catch(() => {});
    note.textContent = "将二维码置于取景框内";
    let detect;
    try {
      detect = await makeDetector();
    } catch (error) {
      note.textContent = `${error.message}，请手动输入检查点编码。`;
      return;
    }
    while (!stopped) {
      const text = video.readyState >= 2 ? await detect(video).catch(() => null) : null;
      if (text) {
        go(text, true);
        return;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  function stop() {
    stopped = true;
    stream?.getTracks().forEach((t) => t.stop());
  }

  container.replaceChildren(
    screenTitle("扫码检查"),
    h("section.card", {}, video, note),
    h(
      "form.card",
      {
        onsubmit: (e) => {
          e.preventDefault();
          go(code.value, false);
        },
      },
      h("label", { for: "place-code" }, "手动输入检查点编码"),
      h("p.muted.small", {}, "编码印在二维码标签下方。"),
      code,
      h("button", { type: "submit" }, "查找检查点"),
    ),
  );
  start();
  return stop;
}
