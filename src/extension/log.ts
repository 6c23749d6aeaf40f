import * as vscode from 'vscode';

/**
 * The "Repo Specializer" output channel. Lines carry file and function names and counts, never
 * code, prompts or secrets.
 */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Repo Specializer', { log: true });

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string): void {
    this.channel.error(message);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
