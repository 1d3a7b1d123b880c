// Photos taken on the device: scaled to at most 1600 px, stamped with a visible watermark
// (time, enterprise, place, GPS, who took it), encoded as JPEG and stored in IndexedDB before
// anything else.
import { currentSession } from "./api.js";
import * as db from "./db.js";
import { locate } from "./geo.js";
import { formatDateTime, toast, uuid } from "./ui.js";

export const MAX_SIDE = 1600;
const QUALITY = 0.82;

// Pure: the size that fits within max×max keeping the aspect ratio (never enlarges).
export function fitWithin(width, height, max = MAX_SIDE) {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

// Pure: the watermark's lines.
export function watermarkLines({ takenAt, enterpriseName, placeName, gps, takerName }) {
  const lines = [formatDateTime(takenAt, { seconds: true })];
  if (enterpriseName) lines.push(enterpriseName);
  if (placeName) lines.push(`检查点：${placeName}`);
  lines.push(
    gps
      ? `GPS ${gps.lat.toFixed(6)}, ${gps.lon.toFixed(6)}${gps.accuracy != null ? ` ±${Math.round(gps.accuracy)}米` : ""}`
      : "GPS 未获取",
  );
  if (takerName) lines.push(`拍摄人：${takerName}`);
  return lines;
}

async function decode(file) {
  if (globalThis.createImageBitmap) {
    try {
      return await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch {
      // fall through to <img> decoding (older engines)
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function stamp(ctx, width, height, lines) {
  const size = Math.max(16, Math.round(Math.min(width, height) / 26));
  const lineHeight = Math.round(size * 1.35);
  const pad = Math.round(size * 0.6);
  const boxHeight = lines.length * lineHeight + pad * 2;
  ctx.fillStyle = "rgba(0, 0, 0, 0.55)";
  ctx.fillRect(0, height - boxHeight, width, boxHeight);
  ctx.font = `bold ${size}px "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif`;
  ctx.textBaseline = "top";
  ctx.fillStyle = "#ffffff";
  lines.forEach((line, i) => {
    ctx.fillText(line, pad, height - boxHeight + pad + i * lineHeight, width - pad * 2);
  });
}

function toJpeg(canvas) {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("图片编码失败"))), "image/jpeg", QUALITY),
  );
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

// Pure SHA-256 (FIPS 180-4) for pages without crypto.subtle: plain-http addresses and some in-app
// browsers are not secure contexts, and the upload contract needs the photo's hash.
export function sha256Bytes(bytes) {
  const length = bytes.length;
  const padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
  padded.set(bytes);
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
  view.setUint32(padded.length - 4, (length << 3) >>> 0);
  const hash = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i += 1) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i += 1) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = hash;
    for (let i = 0; i < 64; i += 1) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      [hh, g, f, e, d, c, b, a] = [g, f, e, (d + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => (hash[i] = (hash[i] + v) >>> 0));
  }
  return [...hash].map((v) => v.toString(16).padStart(8, "0")).join("");
}

export async function sha256Hex(blob) {
  const buffer = await blob.arrayBuffer();
  if (!globalThis.crypto?.subtle) return sha256Bytes(new Uint8Array(buffer));
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// file → stored media record {id, owner, blob, sha256, width, height, …}. A caller that has no
// position of its own (gps undefined: after-photos, plans, direct reports) gets one located now.
export async function capture(file, { owner, enterpriseId, enterpriseName, placeName, gps, takerName }) {
  const position = gps === undefined ? (await locate({ timeout: 8000 })).gps : gps;
  const taker = takerName ?? currentSession()?.user?.display_name ?? "";
  const source = await decode(file);
  const { width, height } = fitWithin(source.width, source.height);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(source, 0, 0, width, height);
  source.close?.();
  const takenAt = new Date();
  const lines = watermarkLines({ takenAt, enterpriseName, placeName, gps: position, takerName: taker });
  stamp(ctx, width, height, lines);
  const blob = await toJpeg(canvas);
  const media = {
    id: uuid(),
    owner,
    blob,
    sha256: await sha256Hex(blob),
    width,
    height,
    size: blob.size,
    enterprise_id: enterpriseId ?? null,
    taken_at: takenAt.toISOString(),
    watermark: lines,
    // When the browser says the picture was made (a fresh camera shot: moments ago; a gallery
    // pick: its file time). The web cannot tell the two apart, so the server flags old ones.
    file_modified_at: file.lastModified ? new Date(file.lastModified).toISOString() : null,
    uploaded: false,
  };
  await db.putMedia(media);
  return media;
}

// A row of thumbnails with delete buttons plus the camera button; calls onChange(ids).
export function photoField({ ids, owner, context, onChange, label = "拍照", required: needed = false }) {
  let required = needed;
  const wrap = document.createElement("div");
  wrap.className = "photos";
  let current = [...ids];
  const urls = [];

  const render = async () => {
    urls.splice(0).forEach((u) => URL.revokeObjectURL(u));
    wrap.replaceChildren();
    for (const id of current) {
      const media = await db.getMedia(id);
      if (!media) continue;
      const url = URL.createObjectURL(media.blob);
      urls.push(url);
      const img = document.createElement("img");
      img.src = url;
      img.alt = "现场照片";
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "remove";
      remove.textContent = "删除";
      remove.setAttribute("aria-label", "删除这张照片");
      remove.onclick = async () => {
        current = current.filter((x) => x !== id);
        await db.deleteMedia(id);
        await onChange(current);
        render();
      };
      const figure = document.createElement("figure");
      figure.append(img, remove);
      wrap.append(figure);
    }
    const button = document.createElement("label");
    button.className = `camera${required && !current.length ? " required" : ""}`;
    const input = document.createElement("input");
    input.type = "file";
    input.accept = "image/*";
    input.setAttribute("capture", "environment");
    input.className = "visually-hidden";
    input.onchange = async () => {
      const files = [...input.files];
      input.value = "";
      button.classList.add("busy");
      for (const file of files) {
        try {
          const media = await capture(file, { owner, ...context() });
          current.push(media.id);
        } catch (error) {
          toast(`照片处理失败：${error.message || "无法读取图片"}`, { kind: "error" });
        }
      }
      await onChange(current);
      render();
    };
    button.append(input, document.createTextNode(required && !current.length ? `${label}（必须）` : label));
    wrap.append(button);
  };
  render();
  wrap.setRequired = (value) => {
    if (value !== required) {
      required = value;
      render();
    }
  };
  return wrap;
}
