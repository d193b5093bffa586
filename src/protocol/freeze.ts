/** Freeze a plain-data value and everything it holds, so the engine can only read the plan it is given. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  Object.freeze(value);
  // Nested no deeper than limits.maxDepth (checked before validation), so recursion is bounded.
  const children = value instanceof Map ? value.values() : Object.values(value);
  for (const child of children) deepFreeze(child);
  return value;
}
