// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Wrapping an SDK client by duck typing: a Proxy over the client hands out proxies of the
// resources on the way to a traced method (`chat` → `completions` → `create`) and the traced
// method itself; everything else is the SDK's own. Methods run with the real object as `this`,
// so SDK classes with private fields keep working, and the same property gives the same proxy
// every time (`client.chat === client.chat`).

/** Replaces a method: gets the original (bound to its object) and the arguments of the call. */
export type MethodWrapper = (original: (...args: unknown[]) => unknown, args: unknown[]) => unknown;

/** Traced methods by path from the client, like `"chat.completions.create"`. */
export type WrapPlan = Record<string, MethodWrapper>;

/** Returns `client` seen through proxies that trace the methods of `plan`. */
export function wrapClient<T extends object>(client: T, plan: WrapPlan): T {
  return proxyAt(client, "", plan, new WeakMap()) as T;
}

function proxyAt(
  target: object,
  path: string,
  plan: WrapPlan,
  cache: WeakMap<object, Map<string, unknown>>,
): object {
  const prefix = path ? `${path}.` : "";
  const leads = (p: string) => Object.keys(plan).some((k) => k.startsWith(`${prefix}${p}.`));
  const handed = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(obj, prop) {
      // Getters and methods see the real object, so SDK classes with private fields work.
      const value = Reflect.get(obj, prop);
      if (typeof prop !== "string") return value;
      const here = `${prefix}${prop}`;
      if (handed.has(prop) && cacheValid(cache, obj, here, value)) return handed.get(prop);
      let out: unknown = value;
      if (typeof value === "function" && plan[here]) {
        const wrapper = plan[here];
        const original = (...args: unknown[]) => Reflect.apply(value, obj, args);
        out = function traced(...args: unknown[]) {
          return wrapper(original, args);
        };
      } else if (typeof value === "object" && value !== null && leads(prop)) {
        out = proxyAt(value, here, plan, cache);
      } else if (typeof value === "function") {
        out = value.bind(obj); // the SDK's own method, on its own object
      } else {
        return value;
      }
      handed.set(prop, out);
      remember(cache, obj, here, value);
      return out;
    },
  });
}

// A resource replaced on the client (rare) gets a fresh proxy rather than a stale one.
function cacheValid(
  cache: WeakMap<object, Map<string, unknown>>,
  obj: object,
  key: string,
  value: unknown,
): boolean {
  return cache.get(obj)?.get(key) === value;
}

function remember(
  cache: WeakMap<object, Map<string, unknown>>,
  obj: object,
  key: string,
  value: unknown,
): void {
  let m = cache.get(obj);
  if (!m) cache.set(obj, m = new Map());
  m.set(key, value);
}
