// Location with its accuracy, or a plain-language reason why there is none.

// → {gps: {lat, lon, accuracy}} or {gps: null, note}
export function locate({ timeout = 10000 } = {}) {
  if (!("geolocation" in navigator)) {
    return Promise.resolve({ gps: null, note: "此浏览器不支持定位，记录将不含位置。" });
  }
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (position) =>
        resolve({
          gps: {
            lat: position.coords.latitude,
            lon: position.coords.longitude,
            accuracy: position.coords.accuracy,
          },
          note: null,
        }),
      (error) => {
        const notes = {
          1: "未获得定位权限，记录将不含位置。可在浏览器设置中允许定位。",
          2: "暂时无法定位（信号弱），记录将不含位置。",
          3: "定位超时，记录将不含位置。",
        };
        resolve({ gps: null, note: notes[error.code] || "无法定位，记录将不含位置。" });
      },
      { enableHighAccuracy: true, timeout, maximumAge: 60000 },
    );
  });
}

export function describe(gps) {
  if (!gps) return "";
  const accuracy = gps.accuracy != null ? `，精度约 ±${Math.round(gps.accuracy)} 米` : "";
  return `已定位${accuracy}`;
}
