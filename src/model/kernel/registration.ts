/**
 * A registration a task holds with a kernel service (a loopback's master file, its rings):
 * one of its files, so it closes without CPU cost when the task dies, and the service then
 * takes back what the task held (`onClose`).
 */
import type { Closable, Task } from "../cpu/index.js";

export class Registration implements Closable {
  constructor(
    private readonly owner: Task,
    private readonly onClose: () => void,
  ) {
    owner.files.add(this);
  }

  closeOnExit(): void {
    this.owner.files.delete(this);
    this.onClose();
  }
}
