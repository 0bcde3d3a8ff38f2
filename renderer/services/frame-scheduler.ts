// Coalesces DOM work into one pass per animation frame: events arrive far faster than a screen redraws,
// and a hidden tab (where frames stop) then costs nothing but its bounded queues.

export class FrameScheduler {
  private pending = false;

  constructor(private readonly render: () => void) {}

  request(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    });
  }
}
