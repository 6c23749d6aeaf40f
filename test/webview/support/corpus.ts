/** A small, plausible repository for panel fixtures: the files a run's patches edit. */
export const CORPUS: Record<string, string> = {
  'inventory/stock.py': `"""Stock levels per warehouse and the reservations held against them."""
import logging
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class StockLevel:
    sku: str
    warehouse: str
    on_hand: int = 0
    reserved: int = 0
    history: list = field(default_factory=list)

    def available(self):
        return self.on_hand - self.reserved


class StockLedger:
    def __init__(self, store):
        self.store = store
        self.cache = {}

    def level(self, sku, warehouse):
        key = (sku, warehouse)
        if key not in self.cache:
            row = self.store.fetch_level(sku, warehouse)
            self.cache[key] = StockLevel(sku, warehouse, row["on_hand"], row["reserved"])
        return self.cache[key]

    def reserve(self, sku, warehouse, quantity):
        level = self.level(sku, warehouse)
        if quantity > level.available():
            return False
        level.reserved += quantity
        self.store.save_level(level)
        return True

    def release(self, sku, warehouse, quantity):
        level = self.level(sku, warehouse)
        level.reserved -= quantity
        self.store.save_level(level)

    def receive(self, sku, warehouse, quantity, reference):
        level = self.level(sku, warehouse)
        level.on_hand += quantity
        level.history.append(("receive", quantity, reference))
        self.store.save_level(level)
        logger.info("received %s x %s into %s", quantity, sku, warehouse)
`,
  'inventory/pricing.py': `"""Price lists, discounts and the rounding rules of invoices."""
from decimal import Decimal, ROUND_HALF_UP

CENT = Decimal("0.01")


def round_money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def apply_discount(price, percent):
    discounted = price * (100 - percent) / 100
    return round_money(discounted)


def line_total(unit_price, quantity, discount=0):
    total = unit_price * quantity
    if discount:
        total = apply_discount(total, discount)
    return round_money(total)


def invoice_total(lines, tax_rate):
    subtotal = sum(line_total(l["price"], l["qty"], l.get("discount", 0)) for l in lines)
    tax = subtotal * tax_rate
    return round_money(subtotal + tax)


def parse_price(text):
    cleaned = text.strip().replace(",", "")
    if cleaned.startswith("$"):
        cleaned = cleaned[1:]
    return Decimal(cleaned)
`,
  'inventory/orders.py': `"""Order intake: validation, persistence and the events other services listen to."""
import json
import time

from .pricing import invoice_total
from .stock import StockLedger


class OrderError(Exception):
    pass


def validate_order(order):
    if not order.get("lines"):
        raise OrderError("an order needs at least one line")
    for line in order["lines"]:
        if line["qty"] <= 0:
            raise OrderError("quantities must be positive")
    return True


def place_order(db, ledger, order, tax_rate):
    validate_order(order)
    for line in order["lines"]:
        ledger.reserve(line["sku"], order["warehouse"], line["qty"])
    total = invoice_total(order["lines"], tax_rate)
    order_id = db.insert("orders", {"customer": order["customer"], "total": str(total)})
    publish(db, "order.placed", {"id": order_id, "total": str(total)})
    return order_id


def cancel_order(db, ledger, order_id):
    order = db.get("orders", order_id)
    for line in order["lines"]:
        ledger.release(line["sku"], order["warehouse"], line["qty"])
    db.update("orders", order_id, {"status": "cancelled"})


def publish(db, topic, payload):
    event = {"topic": topic, "payload": json.dumps(payload), "at": time.time()}
    db.insert("outbox", event)
`,
  'inventory/api/handlers.ts': `import { Router, type Request, type Response } from 'express';
import { OrderService } from '../services/orders';

export function orderRoutes(service: OrderService): Router {
  const router = Router();

  router.get('/orders/:id', async (req: Request, res: Response) => {
    const order = await service.find(req.params.id);
    res.json(order);
  });

  router.post('/orders', async (req: Request, res: Response) => {
    const created = await service.place(req.body);
    res.status(201).json({ id: created.id });
  });

  router.delete('/orders/:id', async (req: Request, res: Response) => {
    await service.cancel(req.params.id);
    res.status(204).end();
  });

  return router;
}

export function parseLimit(value: string | undefined, fallback = 50): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}
`,
  'inventory/sync/worker.go': `package sync

import (
	"context"
	"log"
	"time"
)

type Job struct {
	ID       string
	Attempts int
	Payload  []byte
}

func RunWorker(ctx context.Context, queue <-chan Job, handle func(Job) error) {
	for {
		select {
		case <-ctx.Done():
			return
		case job := <-queue:
			if err := handle(job); err != nil {
				log.Printf("job %s failed: %v", job.ID, err)
				job.Attempts++
			}
		}
	}
}

func Backoff(attempt int) time.Duration {
	return time.Duration(attempt*attempt) * time.Second
}
`,
};

/** Functions of the corpus that samples start from: file, qualified name, first and last line. */
export const FUNCTIONS: { file: string; qualifiedName: string; language: string; startLine: number; endLine: number }[] = [];

function indexFunctions(): void {
  for (const [file, text] of Object.entries(CORPUS)) {
    const lines = text.split('\n');
    const language = file.endsWith('.py') ? 'python' : file.endsWith('.ts') ? 'typescript' : 'go';
    let cls = '';
    lines.forEach((line, i) => {
      const c = /^class (\w+)/.exec(line);
      if (c) cls = c[1];
      const py = /^(\s*)def (\w+)/.exec(line);
      const ts = /^export function (\w+)/.exec(line);
      const go = /^func (\w+)/.exec(line);
      const name = py ? (py[1] ? `${cls}.${py[2]}` : py[2]) : ts ? ts[1] : go ? go[1] : null;
      if (!name) return;
      let end = i + 1;
      if (py) {
        const indent = py[1].length;
        while (end < lines.length && (lines[end].trim() === '' || /^\s*/.exec(lines[end])![0].length > indent)) end++;
        while (end > i + 1 && lines[end - 1].trim() === '') end--;
        end--;
      } else {
        while (end < lines.length && lines[end] !== '}') end++;
      }
      FUNCTIONS.push({ file, qualifiedName: name, language, startLine: i + 1, endLine: Math.min(lines.length, end + 1) });
    });
  }
}
indexFunctions();
