/** Whether a process with this id exists (signal 0 checks without sending anything), as `kill -0 PID` does. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
