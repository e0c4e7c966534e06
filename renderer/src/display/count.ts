// Counts as the analyst's locale writes them ("5,000,000"). One shared formatter: each
// Number.prototype.toLocaleString call builds a new one, which for the ~400 lane labels of a
// large case showed up in the start-up profile.
const COUNT_FORMAT = new Intl.NumberFormat();

export function formatCount(n: number): string {
  return COUNT_FORMAT.format(n);
}
