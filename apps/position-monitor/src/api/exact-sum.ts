import { Decimal } from 'decimal.js';

/** PostgreSQL's numeric text: optional sign, digits, optional fraction. */
const PLAIN = /^-?\d+(?:\.\d+)?$/;

const TEN = 10n;

/**
 * An exact running sum of decimal strings. The audit trail adds a thousand quantities and fees per
 * request; a scaled BigInt does that several times faster than a `Decimal` per value, and exactly
 * (no rounding at 20 significant digits either). Text that is not plain notation goes through
 * decimal.js.
 */
export class ExactSum {
  private units = 0n;
  private scale = 0;
  private other: Decimal | undefined;

  add(value: string, negate = false): this {
    if (!PLAIN.test(value)) {
      const decimal = negate ? new Decimal(value).negated() : new Decimal(value);
      this.other = this.other === undefined ? decimal : this.other.plus(decimal);
      return this;
    }
    const dot = value.indexOf('.');
    const scale = dot < 0 ? 0 : value.length - dot - 1;
    let units = BigInt(dot < 0 ? value : value.slice(0, dot) + value.slice(dot + 1));
    if (scale > this.scale) {
      this.units *= TEN ** BigInt(scale - this.scale);
      this.scale = scale;
    } else if (scale < this.scale) {
      units *= TEN ** BigInt(this.scale - scale);
    }
    this.units += negate ? -units : units;
    return this;
  }

  toDecimal(): Decimal {
    const negative = this.units < 0n;
    const digits = (negative ? -this.units : this.units).toString().padStart(this.scale + 1, '0');
    const point = digits.length - this.scale;
    const sum = new Decimal(`${negative ? '-' : ''}${digits.slice(0, point)}${this.scale > 0 ? `.${digits.slice(point)}` : ''}`);
    return this.other === undefined ? sum : sum.plus(this.other);
  }
}
