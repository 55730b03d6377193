import { useEffect, useState } from 'react';

/** performance.now(), renewed every `periodMs` while the component is shown: for text that ages without an event. */
export function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}
