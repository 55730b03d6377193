// The download in words: megabytes received of the total, and the time left once the rate says something.
import { describe, expect, it } from 'vitest';
import { bytesOf, downloadText, timeLeft } from './format';

describe('bytesOf', () => {
  it('writes decimal megabytes with one decimal, of the total once it is known', () => {
    expect(bytesOf(3_104_000, 8_913_924)).toBe('3.1 of 8.9 MB');
    expect(bytesOf(0, 1_301_525)).toBe('0.0 of 1.3 MB');
    expect(bytesOf(52_772, null)).toBe('0.1 MB');
  });
});

describe('timeLeft', () => {
  const TOTAL = 13_200_000;
  it('says nothing in the first second, nor before 5% of the bytes, nor when nothing is left', () => {
    expect(timeLeft(TOTAL / 2, TOTAL, 900)).toBeNull();
    expect(timeLeft(TOTAL * 0.04, TOTAL, 5000)).toBeNull();
    expect(timeLeft(TOTAL, TOTAL, 5000)).toBeNull();
  });

  it('extrapolates the rate so far, in steps of 5 s under a minute, then in minutes', () => {
    expect(timeLeft(5_200_000, TOTAL, 13_000)).toBe('about 20 s left'); // 0.4 MB/s, 8 MB to go
    expect(timeLeft(TOTAL / 2, TOTAL, 4000)).toBe('a few seconds left');
    expect(timeLeft(TOTAL / 4, TOTAL, 30_000)).toBe('about 2 min left'); // 90 s
    expect(timeLeft(TOTAL / 10, TOTAL, 20_000)).toBe('about 3 min left');
  });
});

describe('downloadText', () => {
  it('gives the bytes of all the models, the time left once there is an estimate, and the end', () => {
    expect(downloadText(100_000, null, 200)).toBe('Downloading 0.1 MB');
    expect(downloadText(200_000, 13_200_000, 500)).toBe('Downloading 0.2 of 13.2 MB');
    expect(downloadText(5_200_000, 13_200_000, 13_000)).toBe('Downloading 5.2 of 13.2 MB, about 20 s left');
    expect(downloadText(13_200_000, 13_200_000, 30_000)).toBe('Downloaded all 13.2 MB');
  });

  it('says a download that has stopped moving has stalled, instead of its last time left', () => {
    expect(downloadText(5_200_000, 13_200_000, 13_000, 7_900)).toBe('Downloading 5.2 of 13.2 MB, about 20 s left');
    expect(downloadText(5_200_000, 13_200_000, 13_000, 12_400)).toBe('Downloading 5.2 of 13.2 MB, stalled for 12 s');
    expect(downloadText(0, null, 0, 9_000)).toBe('Downloading 0.0 MB, waiting for the server for 9 s');
    expect(downloadText(13_200_000, 13_200_000, 30_000, 60_000)).toBe('Downloaded all 13.2 MB');
  });
});
