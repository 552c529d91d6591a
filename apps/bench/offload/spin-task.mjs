// The offloaded work of the pool benchmark: about 2 ms of CPU, the same for both pools.
export function spin({ ms }) {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x++;
  return `spun ${x > 0 ? ms : 0} ms`;
}
export default spin;
