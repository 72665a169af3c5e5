// Where the keyboard focus is and how its ring looks, for tests/browser/test_accessibility.py: the focused
// element (or, for a visually hidden input, the part one sees, marked data-focus-visible), its ring (outline,
// else box-shadow) as seen over what it is drawn on, and whether it is on screen and uncovered.
() => {
    const rgba = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return [0, 0, 0, 0];
        const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
    const over = (top, under) => top.slice(0, 3).map((c, i) => c * top[3] + under[i] * (1 - top[3]));
    const focused = document.activeElement;
    // A visually hidden input (slider, radio, switch) shows its focus on the part one sees, marked so.
    const marked = focused.closest('[data-focus-visible="true"]');
    const target = marked && marked !== focused ? marked : focused;
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    let ring = null, width = 0, reach = 0;
    if (style.outlineStyle !== 'none' && style.outlineStyle !== 'auto' && parseFloat(style.outlineWidth) > 0) {
        ring = rgba(style.outlineColor); width = parseFloat(style.outlineWidth);
        reach = Math.max(0, parseFloat(style.outlineOffset) + width);
    } else if (style.boxShadow !== 'none') {
        const m = style.boxShadow.match(/(rgba?\([^)]+\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+(-?[\d.]+)px/);
        if (m) { ring = rgba(m[1]); width = parseFloat(m[5]); reach = width; }
    }
    // What the ring is drawn on: the backgrounds of the ancestors that hold the whole ring, composited.
    const layers = [];
    for (let e = target.parentElement; e; e = e.parentElement) {
        const b = e.getBoundingClientRect();
        const holds = b.left <= box.left - reach && b.top <= box.top - reach && b.right >= box.right + reach
            && b.bottom >= box.bottom + reach;
        const colour = rgba(getComputedStyle(e).backgroundColor);
        if ((holds || e === document.body || e === document.documentElement) && colour[3] > 0) {
            layers.push(colour);
            if (colour[3] >= 1) break;
        }
    }
    let background = [255, 255, 255];
    for (const layer of layers.reverse()) background = over(layer, background);
    const seen = ring && over(ring, background);
    let hidden = false;
    for (let e = target; e; e = e.parentElement) { const s = getComputedStyle(e);
        if (s.visibility === 'hidden' || s.display === 'none' || parseFloat(s.opacity) < 0.1) hidden = true; }
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    const css = (c) => `rgb(${c.map(Math.round).join(', ')})`;
    return {
        name: focused.getAttribute('aria-label') || (focused.innerText || '').trim().slice(0, 40)
            || (focused.closest('label') || {}).innerText || focused.tagName,
        key: ((target.closest('[class*="st-key-"]') || {className: ''}).className.toString().match(/st-key-(\S+)/) || [])[1] || null,
        role: focused.getAttribute('role'), tag: focused.tagName,
        testid: (target.closest('[data-testid]') || {dataset: {}}).dataset.testid || null,
        box: {x: box.x, y: box.y, width: box.width, height: box.height},
        inViewport: box.width >= 4 && box.height >= 4 && box.bottom > 0 && box.right > 0 && box.top < innerHeight
            && box.left < innerWidth,
        onTop: hit !== null && (target.contains(hit) || hit.contains(target)),
        hidden, ringWidth: width, ring: seen ? css(seen) : null, background: css(background),
    };
}
