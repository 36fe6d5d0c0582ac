// The latent explorer: a VAE's 2-D code space, decoded in the browser.
//
// The page sends the test codes, the click range and the decoder's dense
// layers once. Every move of the pointer, a key or a slider then decodes its
// point here, with the same arithmetic as ae_core's NumpyDecoder, and draws at
// most once per animation frame, so a fast drag never queues work on the
// server. The chosen point is kept in the tab's sessionStorage.

const DIGIT_SCALE = 6;
const SIDE_WIDTH = 300; // the digit, its sliders and the gap
const FONT_PX = 14;
const MARGIN = { left: 52, right: 12, top: 12, bottom: 44 };
const KEY_STEPS = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, 1],
  ArrowDown: [0, -1],
};

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

const ACTIVATIONS = {
  linear: (x) => x,
  relu: (x) => (x > 0 ? x : 0),
  sigmoid: (x) => 0.5 * (1 + Math.tanh(0.5 * x)), // as in NumpyDecoder
};

// A function from a point [z0, z1] to the decoded pixels, as a Float32Array.
function denseDecoder(layers) {
  const parsed = layers.map((layer) => ({
    rows: layer.rows,
    cols: layer.cols,
    kernel: new Float32Array(decodeBase64(layer.kernel)),
    bias: new Float32Array(decodeBase64(layer.bias)),
    activation: ACTIVATIONS[layer.activation],
  }));
  return (point) => {
    let x = Float32Array.from(point);
    for (const { rows, cols, kernel, bias, activation } of parsed) {
      const y = Float32Array.from(bias);
      for (let i = 0; i < rows; i++) {
        const xi = x[i];
        if (xi === 0) continue;
        const offset = i * cols;
        for (let j = 0; j < cols; j++) y[j] += xi * kernel[offset + j];
      }
      for (let j = 0; j < cols; j++) y[j] = activation(y[j]);
      x = y;
    }
    return x;
  };
}

// Axis ticks: five to seven, at 1, 2 or 5 times a power of ten.
function ticks(limit) {
  const raw = limit / 3;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const values = [];
  for (let v = -Math.floor(limit / step) * step; v <= limit + 1e-9; v += step) {
    values.push(Math.round(v * 1e6) / 1e6);
  }
  return values;
}

function element(tag, className, parent) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  parent.appendChild(node);
  return node;
}

function slider(label, limit, step, parent) {
  const row = element("label", "axis-slider", parent);
  element("span", "axis-name", row).textContent = label;
  const input = element("input", null, row);
  Object.assign(input, { type: "range", min: -limit, max: limit, step });
  input.setAttribute("aria-label", label);
  return input;
}

class Explorer {
  constructor(root, data) {
    this.data = data;
    this.limit = data.limit;
    this.reach = data.limit * 1.03; // a little room around the click range
    this.decode = denseDecoder(data.layers);
    this.codes = new Float32Array(decodeBase64(data.codes));
    this.labels = new Uint8Array(decodeBase64(data.labels));
    this.point = this.initialPoint();
    this.pending = null;
    this.build(root);
  }

  initialPoint() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(this.data.storage_key));
      if (Array.isArray(saved) && saved.length === 2) return this.clipped(saved);
    } catch (error) {
      // no saved point, or storage is off: start at the origin
    }
    return [0, 0];
  }

  clipped([z0, z1]) {
    const clip = (v) => Math.min(this.limit, Math.max(-this.limit, Number(v) || 0));
    return [clip(z0), clip(z1)];
  }

  build(root) {
    this.root = element("div", "explorer", root);
    const mapSide = element("div", "map-side", this.root);
    this.canvas = element("canvas", "map", mapSide);
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute("role", "img");
    this.canvas.setAttribute(
      "aria-label",
      "Map of the test digits' codes: click or drag to choose a point; " +
        "the arrow keys move it",
    );
    this.legend = element("div", "legend", mapSide);
    this.data.colours.forEach((colour, digit) => {
      const item = element("span", "legend-item", this.legend);
      element("span", "swatch", item).style.background = colour;
      item.append(String(digit));
    });
    const side = element("div", "digit-side", this.root);
    this.digit = element("canvas", "digit", side);
    this.digit.width = this.data.shape[1];
    this.digit.height = this.data.shape[0];
    this.digit.style.width = `${this.data.shape[1] * DIGIT_SCALE}px`;
    this.readout = element("div", "readout", side);
    this.sliders = ["z[0]", "z[1]"].map((name) =>
      slider(name, this.limit, this.data.step, side),
    );
    this.timing = element("div", "timing", side);
    this.listen();
    this.resize();
  }

  listen() {
    const canvas = this.canvas;
    canvas.addEventListener("pointerdown", (event) => {
      canvas.setPointerCapture(event.pointerId);
      this.choose(this.pointAt(event));
    });
    canvas.addEventListener("pointermove", (event) => {
      if (canvas.hasPointerCapture(event.pointerId)) this.choose(this.pointAt(event));
    });
    canvas.addEventListener("keydown", (event) => {
      const direction = KEY_STEPS[event.key];
      if (!direction) return;
      event.preventDefault();
      const step = this.data.step * (event.shiftKey ? 10 : 1);
      const [z0, z1] = this.pending || this.point;
      this.choose([z0 + direction[0] * step, z1 + direction[1] * step]);
    });
    this.sliders.forEach((input, axis) =>
      input.addEventListener("input", () => {
        const next = [...(this.pending || this.point)];
        next[axis] = Number(input.value);
        this.choose(next);
      }),
    );
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(this.root);
    this.onWindowResize = () => this.resize();
    window.addEventListener("resize", this.onWindowResize);
  }

  // The point under a pointer event, in code coordinates, clipped to the range.
  pointAt(event) {
    const box = this.canvas.getBoundingClientRect();
    const { x0, y0, side } = this.frame;
    const u = (event.clientX - box.left - x0) / side;
    const v = (event.clientY - box.top - y0) / side;
    return this.clipped([(2 * u - 1) * this.reach, (1 - 2 * v) * this.reach]);
  }

  // Remembers the newest point and draws it at the next frame, once.
  choose(point) {
    const first = this.pending === null;
    this.pending = this.clipped(point);
    if (first) this.frameRequest = requestAnimationFrame(() => this.show());
  }

  show() {
    this.point = this.pending;
    this.pending = null;
    this.drawMarker();
    this.drawDigit();
    try {
      sessionStorage.setItem(this.data.storage_key, JSON.stringify(this.point));
    } catch (error) {
      // storage is off: the point lasts as long as the page
    }
  }

  resize() {
    // Beside the digit where there is room for both, else alone on its line;
    // no taller than the window, so scrolled to, a projector shows all of it.
    const available = this.root.clientWidth;
    const beside = available - SIDE_WIDTH;
    const tallest = window.innerHeight - 80; // the legend below it too
    const widest = beside >= 320 ? beside : available;
    const cssSide = Math.max(200, Math.min(widest, tallest, 560));
    const ratio = window.devicePixelRatio || 1;
    if (this.cssSide === cssSide && this.ratio === ratio) return;
    Object.assign(this, { cssSide, ratio });
    this.canvas.style.width = this.canvas.style.height = `${cssSide}px`;
    this.canvas.width = this.canvas.height = Math.round(cssSide * ratio);
    const margins = Math.max(MARGIN.left + MARGIN.right, MARGIN.top + MARGIN.bottom);
    const side = cssSide - margins;
    this.frame = { x0: MARGIN.left, y0: MARGIN.top, side };
    this.background = this.drawBackground();
    this.drawMarker();
    this.drawDigit();
  }

  toPixels(z0, z1) {
    const { x0, y0, side } = this.frame;
    const u = (z0 / this.reach + 1) / 2;
    const v = (1 - z1 / this.reach) / 2;
    return [x0 + u * side, y0 + v * side];
  }

  drawBackground() {
    const layer = document.createElement("canvas");
    [layer.width, layer.height] = [this.canvas.width, this.canvas.height];
    const context = layer.getContext("2d");
    context.scale(this.ratio, this.ratio);
    // Read once a drawing, not once a frame; a theme change rebuilds it all.
    const style = getComputedStyle(this.root);
    const text = (this.textColour = style.color);
    const { x0, y0, side } = this.frame;
    context.font = `${FONT_PX}px ${style.fontFamily}`;
    context.fillStyle = text;

    // Grid and ticks
    context.strokeStyle = "rgba(128, 128, 128, 0.25)";
    context.lineWidth = 1;
    for (const value of ticks(this.limit)) {
      const [x, y] = this.toPixels(value, value);
      context.beginPath();
      context.moveTo(x, y0);
      context.lineTo(x, y0 + side);
      context.moveTo(x0, y);
      context.lineTo(x0 + side, y);
      context.stroke();
      context.textAlign = "center";
      context.fillText(String(value), x, y0 + side + FONT_PX + 4);
      context.textAlign = "right";
      context.fillText(String(value), x0 - 6, y + 4);
    }
    context.textAlign = "center";
    context.fillText("z[0]", x0 + side / 2, y0 + side + 36);
    context.save();
    context.translate(14, y0 + side / 2);
    context.rotate(-Math.PI / 2);
    context.fillText("z[1]", 0, 0);
    context.restore();

    // Codes, coloured by digit
    context.globalAlpha = 0.7;
    for (let i = 0; i < this.labels.length; i++) {
      const [x, y] = this.toPixels(this.codes[2 * i], this.codes[2 * i + 1]);
      context.fillStyle = this.data.colours[this.labels[i]];
      context.fillRect(x - 1.5, y - 1.5, 3, 3);
    }
    context.globalAlpha = 1;

    // The manifold's square
    const [left, top] = this.toPixels(-this.data.extent, this.data.extent);
    const [right, bottom] = this.toPixels(this.data.extent, -this.data.extent);
    context.strokeStyle = text;
    context.lineWidth = 2;
    context.setLineDash([6, 4]);
    context.strokeRect(left, top, right - left, bottom - top);
    context.setLineDash([]);
    context.strokeStyle = "rgba(128, 128, 128, 0.6)";
    context.strokeRect(x0, y0, side, side);
    return layer;
  }

  drawMarker() {
    const context = this.canvas.getContext("2d");
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    context.drawImage(this.background, 0, 0);
    context.scale(this.ratio, this.ratio);
    const [x, y] = this.toPixels(...this.point);
    context.strokeStyle = this.textColour;
    context.lineWidth = 3;
    context.beginPath();
    for (const [dx, dy] of [[-7, -7], [-7, 7]]) {
      context.moveTo(x + dx, y + dy);
      context.lineTo(x - dx, y - dy);
    }
    context.stroke();
    const [z0, z1] = this.point;
    this.readout.textContent = `decoded at (${z0.toFixed(2)}, ${z1.toFixed(2)})`;
    this.sliders[0].value = z0;
    this.sliders[1].value = z1;
    this.root.dataset.point = `${z0.toFixed(4)},${z1.toFixed(4)}`;
  }

  drawDigit() {
    const start = performance.now();
    const pixels = this.decode(this.point);
    const milliseconds = performance.now() - start;
    const context = this.digit.getContext("2d");
    const picture = context.createImageData(this.digit.width, this.digit.height);
    for (let i = 0; i < pixels.length; i++) {
      const grey = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
      picture.data.set([grey, grey, grey, 255], 4 * i);
    }
    context.putImageData(picture, 0, 0);
    const shown = milliseconds.toFixed(1);
    this.timing.textContent = `Decoded in your browser in ${shown} ms.`;
    this.root.dataset.decodeMs = milliseconds.toFixed(3);
  }

  close() {
    cancelAnimationFrame(this.frameRequest);
    this.observer.disconnect();
    window.removeEventListener("resize", this.onWindowResize);
    this.root.remove();
  }
}

// Streamlit calls this again, on the same parent, whenever the page sends new
// data (another range, another model), and keeps the cleanup it returned for
// when the element goes: close the explorer already there first.
const explorers = new WeakMap();

export default function (component) {
  const { data, parentElement } = component;
  explorers.get(parentElement)?.close();
  const explorer = new Explorer(parentElement.querySelector(".explorer-root"), data);
  explorers.set(parentElement, explorer);
  return () => explorer.close();
}
