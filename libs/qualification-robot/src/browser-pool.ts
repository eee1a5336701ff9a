import type { Browser } from 'playwright-core';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A bounded pool of Chromium processes (size N), each lent to one run at a time; relaunches a crashed browser; close() ends all. */
export class BrowserPool {
  readonly size: number;
  private readonly executablePath: string;
  private readonly idle: Browser[] = [];
  private readonly all = new Set<Browser>();
  private launching = 0;
  private readonly waiters: ((browser: Browser | Error) => void)[] = [];
  private closed = false;

  constructor(options: { size: number; executablePath?: string }) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError('BrowserPool: size must be a positive integer');
    this.size = options.size;
    this.executablePath = options.executablePath ?? '/usr/bin/chromium';
  }

  /** Lends a browser to `work` (waiting for a free one), and takes it back after. */
  async use<T>(work: (browser: Browser) => Promise<T>): Promise<T> {
    const browser = await this.acquire();
    try {
      return await work(browser);
    } finally {
      this.release(browser);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter(new Error('BrowserPool closed'));
    const browsers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.allSettled(browsers.map((b) => b.close()));
  }

  private async acquire(): Promise<Browser> {
    if (this.closed) throw new Error('BrowserPool closed');
    while (this.idle.length > 0) {
      const browser = this.idle.pop() as Browser;
      if (browser.isConnected()) return browser;
      this.all.delete(browser);
    }
    if (this.all.size + this.launching < this.size) return this.launch();
    const next = await new Promise<Browser | Error>((resolve) => this.waiters.push(resolve));
    if (next instanceof Error) throw next;
    if (next.isConnected()) return next;
    this.all.delete(next);
    return this.launch();
  }

  private release(browser: Browser): void {
    if (this.closed) {
      void browser.close().catch(() => undefined);
      return;
    }
    if (!browser.isConnected()) this.all.delete(browser);
    const waiter = this.waiters.shift();
    if (waiter) {
      if (browser.isConnected()) waiter(browser);
      else this.launch().then(waiter, (error: unknown) => waiter(error instanceof Error ? error : new Error(String(error))));
      return;
    }
    if (browser.isConnected()) this.idle.push(browser);
  }

  private async launch(): Promise<Browser> {
    this.launching += 1;
    try {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: this.executablePath, args: CHROMIUM_ARGS });
      this.all.add(browser);
      browser.on('disconnected', () => {
        this.all.delete(browser);
        const index = this.idle.indexOf(browser);
        if (index >= 0) this.idle.splice(index, 1);
      });
      return browser;
    } finally {
      this.launching -= 1;
    }
  }
}
