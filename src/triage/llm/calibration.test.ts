import { describe, expect, it } from 'vitest';
import { fitCalibration, type CalibrationPoint } from './calibration.ts';

/** n readings at `said` confidence, `right` of them accepted. */
const at = (said: number, n: number, right: number): CalibrationPoint[] => Array.from({ length: n }, (_, i) => ({ confidence: said, correct: i < right }));

describe('calibrating a model’s own confidence on the record', () => {
  it('brings an overconfident model down to how often it is right', () => {
    const cal = fitCalibration([...at(0.95, 200, 140), ...at(0.8, 100, 55)])!;
    expect(cal.samples).toBe(300);
    expect(cal.accuracy).toBeCloseTo(195 / 300, 6);
    expect(cal.apply(0.95)).toBeGreaterThan(0.66);
    expect(cal.apply(0.95)).toBeLessThan(0.74); // said 95%, right 70% of the time
    expect(cal.apply(0.8)).toBeGreaterThan(0.5);
    expect(cal.apply(0.8)).toBeLessThan(0.6); // said 80%, right 55%
    expect(cal.apply(0.95)).toBeGreaterThan(cal.apply(0.8)); // still ordered as the model ordered them
  });

  it('leaves a model that is right as often as it says about where it was', () => {
    const cal = fitCalibration([...at(0.9, 100, 90), ...at(0.6, 100, 60), ...at(0.75, 100, 75)])!;
    for (const c of [0.6, 0.75, 0.9]) expect(Math.abs(cal.apply(c) - c)).toBeLessThan(0.03);
  });

  it('keeps the model’s own figure until there are enough verdicts, and is not swung far by a few', () => {
    expect(fitCalibration(at(0.9, 29, 0))).toBeNull();
    const few = fitCalibration(at(0.9, 30, 30))!; // thirty in a row right
    expect(few.apply(0.9)).toBeGreaterThan(0.9);
    expect(few.apply(0.9)).toBeLessThan(0.999);
    expect(Number.isFinite(fitCalibration(at(1, 40, 40))!.apply(1))).toBe(true); // 100% said and always right: no overflow
  });
});
