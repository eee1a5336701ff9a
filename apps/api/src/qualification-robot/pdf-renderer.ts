import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Browser } from 'playwright-core';
import type { PlatformConfig } from '@fcplat/config';
import { PLATFORM_CONFIG } from '../infrastructure/tokens.js';

/** PDFs printed at once by one API process; more wait their turn. */
const MAX_CONCURRENT = 2;

/**
 * Prints self-contained HTML (the qualification dossier) to PDF with headless Chromium
 * (QUALIFICATION_ROBOT_CHROMIUM_PATH), launched on first use and kept for the process's life.
 * The page runs without JavaScript and with every network request refused: the HTML carries its
 * images as data URIs, so nothing leaves the process.
 */
@Injectable()
export class PdfRenderer implements OnModuleDestroy {
  private browser: Promise<Browser> | null = null;
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(@Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig) {}

  async render(html: string): Promise<Buffer> {
    await this.slot();
    try {
      const browser = await this.launch();
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      try {
        const page = await context.newPage();
        await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' } });
      } finally {
        await context.close();
      }
    } finally {
      this.release();
    }
  }

  async onModuleDestroy(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser.catch(() => null))?.close();
  }

  private launch(): Promise<Browser> {
    if (!this.browser) {
      this.browser = import('playwright-core').then(({ chromium }) =>
        chromium.launch({ executablePath: this.config.robot.chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] }),
      );
      // A browser that died or failed to start is launched again next time.
      this.browser.then(
        (b) => b.on('disconnected', () => (this.browser = null)),
        () => (this.browser = null),
      );
    }
    return this.browser;
  }

  private async slot(): Promise<void> {
    if (this.active < MAX_CONCURRENT) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}
