import { fairShare, handOverCount } from './fleet.service';

describe('fair share', () => {
  it('is the ceiling of portals per live fetcher, at least one, at most the configured maximum', () => {
    expect(fairShare(6, 2, 50)).toBe(3);
    expect(fairShare(7, 2, 50)).toBe(4);
    expect(fairShare(0, 3, 50)).toBe(1);
    expect(fairShare(100, 1, 50)).toBe(50);
    expect(fairShare(5, 0, 50)).toBe(5);
  });

  it('hands over only the excess the other fetchers have room for', () => {
    // A drives 6, B just joined with 0: share 3 → hand over 3.
    expect(handOverCount(6, 3, [{ id: 'b', portals: 0 }])).toBe(3);
    // Everyone at the share already (7 portals, share 4): no ping-pong.
    expect(handOverCount(4, 4, [{ id: 'b', portals: 3 }])).toBe(0);
    expect(handOverCount(5, 3, [{ id: 'b', portals: 3 }])).toBe(0);
    expect(handOverCount(5, 3, [{ id: 'b', portals: 2 }, { id: 'c', portals: 2 }])).toBe(2);
  });
});
