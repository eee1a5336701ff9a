import { stopWithDeadline } from './stop-deadline.js';

describe('stopWithDeadline', () => {
  it('says stopped when the stop settles in time, late when it does not', async () => {
    await expect(stopWithDeadline(() => new Promise((resolve) => setTimeout(resolve, 5)), 1_000)).resolves.toBe('stopped');
    await expect(stopWithDeadline(() => new Promise(() => undefined), 20)).resolves.toBe('late');
  });

  it('passes a failed stop on', async () => {
    const failure = new Error('pool closed twice');
    await expect(stopWithDeadline(() => Promise.reject(failure), 1_000)).rejects.toBe(failure);
  });
});
