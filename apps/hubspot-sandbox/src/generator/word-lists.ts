/** Word lists for realistic generated names, domains and activity text (invented, not real people). */
export const FIRST_NAMES = [
  'Anna', 'Ben', 'Carla', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Liam', 'Maya', 'Noah', 'Olga', 'Pedro',
  'Quinn', 'Rosa', 'Sami', 'Tara', 'Uma', 'Victor', 'Wen', 'Ximena', 'Yusuf', 'Zoe', 'Amir', 'Bianca', 'Chen', 'Dana', 'Emil', 'Fatima',
  'Gustav', 'Hana', 'Ivan', 'Julia', 'Kofi', 'Lena', 'Marco', 'Nadia', 'Oscar', 'Priya', 'Rafael', 'Sofia', 'Tomas', 'Ulla', 'Vera', 'Walter',
  'Yara', 'Zain', 'Astrid', 'Björn', 'Chloé', 'Dmitri', 'Eva', 'François', 'Greta', 'Henrik', 'Isabel', 'Jörg', 'Karin', 'Lars', 'Mia', 'Nils',
];

export const LAST_NAMES = [
  'Andersson', 'Brown', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Hansen', 'Ito', 'Jensen', 'Kowalski', 'Larsen', 'Müller', 'Nakamura',
  'Olsen', 'Petrov', 'Quint', 'Rossi', 'Schmidt', 'Tanaka', 'Ueda', 'Varga', 'Weber', 'Xu', 'Yilmaz', 'Zimmermann', 'Ahmed', 'Berg', 'Chen',
  'Diaz', 'Evans', 'Fernández', 'Gomez', 'Huber', 'Iqbal', 'Johansson', 'Kim', 'Lindqvist', 'Martin', 'Nguyen', "O'Brien", 'Patel', 'Rahman',
  'Silva', 'Thompson', 'Ulrich', 'Virtanen', 'Wang', 'Young', 'Zhang',
];

export const COMPANY_WORDS = [
  'Acme', 'Blue', 'Cedar', 'Delta', 'Echo', 'Falcon', 'Granite', 'Harbor', 'Iris', 'Juniper', 'Kestrel', 'Lumen', 'Maple', 'Nimbus', 'Orbit',
  'Pioneer', 'Quartz', 'Riverside', 'Summit', 'Tundra', 'Union', 'Vertex', 'Willow', 'Xenon', 'Yonder', 'Zephyr', 'Atlas', 'Beacon', 'Cobalt',
  'Drift', 'Ember', 'Fjord', 'Glacier', 'Helix', 'Ionic', 'Jade', 'Keystone', 'Lighthouse', 'Meridian', 'Northwind', 'Oak', 'Prism', 'Redwood',
];

export const COMPANY_KINDS = ['Labs', 'Systems', 'Analytics', 'Logistics', 'Health', 'Foods', 'Energy', 'Software', 'Partners', 'Robotics', 'Media', 'Capital', 'Works', 'Cloud'];
export const COMPANY_SUFFIXES = ['Inc', 'AB', 'GmbH', 'Ltd', 'LLC', 'SA', 'Oy', 'AS', ''];
export const TLDS = ['com', 'io', 'se', 'de', 'co.uk', 'fr', 'net', 'ai'];
export const JOB_TITLES = ['CEO', 'CTO', 'VP Sales', 'Head of Operations', 'Account Manager', 'Procurement Lead', 'CFO', 'Engineer', 'Product Manager', 'Office Manager', 'Customer Success Manager'];
export const CITIES = ['Stockholm', 'Berlin', 'London', 'Paris', 'New York', 'Austin', 'Toronto', 'Madrid', 'Oslo', 'Helsinki', 'Amsterdam', 'Lisbon', 'Tokyo', 'Sydney'];
export const COUNTRIES = ['Sweden', 'Germany', 'United Kingdom', 'France', 'United States', 'Canada', 'Spain', 'Norway', 'Finland', 'Netherlands', 'Portugal', 'Japan', 'Australia'];

/** Activity sentences, positive and negative, so sentiment analysis downstream has signal. */
export const ACTIVITY_POSITIVE = [
  'Great call, the team is happy with the rollout.', 'They love the new reporting and want to expand.', 'Renewal looks good, champion is excited.',
  'Positive feedback on support response times.', 'Signed off on the pilot, very pleased with results.',
];
export const ACTIVITY_NEGATIVE = [
  'Frustrated about repeated outages last month.', 'Unhappy with pricing, considering alternatives.', 'Complaint about slow onboarding and missing features.',
  'Budget cut, renewal at risk.', 'Angry about an invoice error, escalated to finance.',
];
export const ACTIVITY_NEUTRAL = [
  'Quarterly check-in scheduled.', 'Sent the updated proposal.', 'Discussed integration timeline.', 'Follow up on contract terms next week.',
  'Shared documentation links.', 'Left a voicemail.',
];
export const DEAL_WORDS = ['Renewal', 'Expansion', 'New business', 'Upsell', 'Pilot', 'Enterprise plan', 'Add-on seats', 'Multi-year'];
export const PRODUCT_NAMES = ['Starter plan', 'Growth plan', 'Enterprise plan', 'Onboarding package', 'Premium support', 'Extra seats', 'API add-on', 'Training day'];
