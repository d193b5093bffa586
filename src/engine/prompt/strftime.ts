const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const pad = (n: number) => String(n).padStart(2, "0");

/** Python's strftime for the directives chat templates use (Llama 3.x dates), in local time. */
export function strftime(d: Date, format: string): string {
  const map: Record<string, () => string> = {
    a: () => DAYS[d.getDay()]!.slice(0, 3),
    A: () => DAYS[d.getDay()]!,
    b: () => MONTHS[d.getMonth()]!.slice(0, 3),
    B: () => MONTHS[d.getMonth()]!,
    d: () => pad(d.getDate()),
    m: () => pad(d.getMonth() + 1),
    y: () => pad(d.getFullYear() % 100),
    Y: () => String(d.getFullYear()),
    H: () => pad(d.getHours()),
    M: () => pad(d.getMinutes()),
    S: () => pad(d.getSeconds()),
    "%": () => "%",
  };
  return format.replace(/%(.)/g, (all, c: string) => (map[c] ? map[c]() : all));
}
