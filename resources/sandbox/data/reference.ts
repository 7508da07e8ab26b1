// Reference lists the generator draws from: names, cities and streets per country, the catalogue, carriers, hubs,
// agents and plans.
import type { Country } from './shapes.ts';

export const FIRST_NAMES: Record<Country, readonly string[]> = {
  US: [
    'James', 'Mary', 'Robert', 'Patricia', 'Michael', 'Jennifer', 'David', 'Linda', 'Daniel', 'Elizabeth', 'Matthew',
    'Sarah', 'Anthony', 'Jessica', 'Mark', 'Karen', 'Steven', 'Nancy', 'Andrew', 'Lisa', 'Joshua', 'Ashley', 'Kevin',
    'Emily', 'Brian', 'Megan', 'Dana', 'Priya', 'Wei', 'Carlos', 'Maria', 'Aisha', 'Jamal', 'Hiroshi', 'Sofia',
    'Marcus', 'Rachel', 'Tyler', 'Brianna', 'Luis', 'Keisha', 'Noah', 'Hannah', 'Ethan', 'Olivia', 'Grace', 'Derek',
    'Tanya', 'Rosa', 'Omar', 'Caitlin', 'Trevor', 'Monique', 'Glen', 'Heather', 'Jorge', 'Mei', 'Shauna', 'Curtis',
  ],
  CA: [
    'Liam', 'Emma', 'Lucas', 'Chloé', 'Nathan', 'Sophie', 'Gabriel', 'Isabelle', 'Owen', 'Avery', 'Mathieu',
    'Julie', 'Connor', 'Madison', 'Raj', 'Harpreet', 'Kyle', 'Brooke', 'Étienne', 'Danielle', 'Ryan', 'Jasmine',
  ],
  GB: [
    'Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Ava', 'Jack', 'Emily', 'Charlie', 'Sophie', 'Thomas', 'Grace',
    'Alfie', 'Poppy', 'Callum', 'Freya', 'Rhys', 'Imogen', 'Declan', 'Niamh', 'Fraser', 'Eilidh', 'Imran', 'Aaliyah',
    'Rory', 'Hollie', 'Gareth', 'Siobhan',
  ],
  DE: [
    'Lukas', 'Anna', 'Jonas', 'Lea', 'Felix', 'Laura', 'Maximilian', 'Sophie', 'Leon', 'Marie', 'Paul', 'Hannah',
    'Jürgen', 'Katrin', 'Stefan', 'Sabine', 'Tobias', 'Jana', 'Matthias', 'Ulrike', 'Emre', 'Svenja',
  ],
  FR: [
    'Camille', 'Léa', 'Manon', 'Chloé', 'Julien', 'Nicolas', 'Thomas', 'Antoine', 'Mathilde', 'Élodie', 'Hugo',
    'Louis', 'Inès', 'Sébastien', 'Margaux', 'Yanis', 'Océane', 'Benoît', 'Aurélie', 'Karim',
  ],
};

export const LAST_NAMES: Record<Country, readonly string[]> = {
  US: [
    'Smith', 'Johnson', 'Williams', 'Brown', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
    'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Lee', 'Thompson', 'White', 'Harris',
    'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Nguyen', 'Hill',
    'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Patel', 'Kim',
    'Chen', 'Okafor', 'Whitfield', 'Sullivan', 'Brennan', 'Kowalski', 'Novak', 'Delgado', 'Yamamoto', 'Osei',
    'Reyes', 'Fitzgerald', 'Lindqvist', 'Abernathy', 'Castillo', 'Bishop', 'Hale', 'Pruitt', 'Vasquez',
  ],
  CA: [
    'Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Gauthier', 'Morin', 'Lavoie', 'Fortin', 'MacDonald',
    'Campbell', 'Wilson', 'Singh', 'Brown', 'Chan', 'Leblanc', 'Fraser', 'Bergeron', 'Sandhu', 'McKenzie',
  ],
  GB: [
    'Jones', 'Evans', 'Hughes', 'Wood', 'Turner', 'Harrison', 'Walsh', 'Holmes', 'Barker', 'Fletcher', 'Pearson',
    'Kaur', 'Begum', 'Ahmed', 'Davies', 'Roberts', 'Patel', 'Murphy', 'Stewart', 'Morgan', 'Lloyd', 'Price',
    'Doyle', 'Hargreaves', 'Ashworth', 'Whitaker', 'MacLeod', 'Pritchard',
  ],
  DE: [
    'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
    'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Zimmermann', 'Krüger', 'Hartmann',
    'Yılmaz', 'Lehmann',
  ],
  FR: [
    'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
    'Laurent', 'Lefebvre', 'Michel', 'Fontaine', 'Rousseau', 'Girard', 'Bonnet', 'Mercier', 'Benali',
  ],
};

interface City {
  city: string;
  region: string;
  postcodes: readonly string[];
  dial: string; // US/CA area code, or a local prefix
}

export const CITIES: Record<Country, readonly City[]> = {
  US: [
    { city: 'Springfield', region: 'IL', postcodes: ['62704', '62702'], dial: '217' },
    { city: 'Portland', region: 'OR', postcodes: ['97214', '97202', '97211'], dial: '503' },
    { city: 'Austin', region: 'TX', postcodes: ['78704', '78745', '78702'], dial: '512' },
    { city: 'Denver', region: 'CO', postcodes: ['80205', '80210', '80218'], dial: '303' },
    { city: 'Columbus', region: 'OH', postcodes: ['43215', '43201', '43209'], dial: '614' },
    { city: 'Raleigh', region: 'NC', postcodes: ['27601', '27608'], dial: '919' },
    { city: 'Madison', region: 'WI', postcodes: ['53703', '53705'], dial: '608' },
    { city: 'Boise', region: 'ID', postcodes: ['83702', '83706'], dial: '208' },
    { city: 'Burlington', region: 'VT', postcodes: ['05401'], dial: '802' },
    { city: 'Asheville', region: 'NC', postcodes: ['28801', '28804'], dial: '828' },
    { city: 'Sacramento', region: 'CA', postcodes: ['95814', '95818'], dial: '916' },
    { city: 'San Diego', region: 'CA', postcodes: ['92103', '92104', '92116'], dial: '619' },
    { city: 'Seattle', region: 'WA', postcodes: ['98103', '98117', '98122'], dial: '206' },
    { city: 'Minneapolis', region: 'MN', postcodes: ['55408', '55406'], dial: '612' },
    { city: 'Nashville', region: 'TN', postcodes: ['37206', '37212'], dial: '615' },
    { city: 'Pittsburgh', region: 'PA', postcodes: ['15213', '15206'], dial: '412' },
    { city: 'Tucson', region: 'AZ', postcodes: ['85719', '85705'], dial: '520' },
    { city: 'Albany', region: 'NY', postcodes: ['12203', '12208'], dial: '518' },
    { city: 'Savannah', region: 'GA', postcodes: ['31401', '31405'], dial: '912' },
    { city: 'Omaha', region: 'NE', postcodes: ['68102', '68131'], dial: '402' },
    { city: 'Ann Arbor', region: 'MI', postcodes: ['48104', '48103'], dial: '734' },
    { city: 'Charleston', region: 'SC', postcodes: ['29401', '29403'], dial: '843' },
    { city: 'Salt Lake City', region: 'UT', postcodes: ['84102', '84105'], dial: '801' },
    { city: 'Richmond', region: 'VA', postcodes: ['23220', '23221'], dial: '804' },
    { city: 'Providence', region: 'RI', postcodes: ['02903', '02906'], dial: '401' },
    { city: 'Brooklyn', region: 'NY', postcodes: ['11215', '11238', '11222'], dial: '718' },
    { city: 'Chicago', region: 'IL', postcodes: ['60614', '60647', '60657'], dial: '773' },
    { city: 'Boston', region: 'MA', postcodes: ['02118', '02130'], dial: '617' },
  ],
  CA: [
    { city: 'Toronto', region: 'ON', postcodes: ['M4C 1B5', 'M6G 2L7', 'M5T 1R9'], dial: '416' },
    { city: 'Vancouver', region: 'BC', postcodes: ['V5K 0A1', 'V6K 2G8', 'V5L 3X6'], dial: '604' },
    { city: 'Montréal', region: 'QC', postcodes: ['H2X 1Y4', 'H2T 2M1'], dial: '514' },
    { city: 'Calgary', region: 'AB', postcodes: ['T2P 1J9', 'T2S 0K3'], dial: '403' },
    { city: 'Ottawa', region: 'ON', postcodes: ['K1N 5T1', 'K1S 3W7'], dial: '613' },
    { city: 'Halifax', region: 'NS', postcodes: ['B3H 1Y6', 'B3K 4P7'], dial: '902' },
    { city: 'Winnipeg', region: 'MB', postcodes: ['R3C 0V8', 'R3L 1A2'], dial: '204' },
    { city: 'Victoria', region: 'BC', postcodes: ['V8W 1P6', 'V8V 3K4'], dial: '250' },
  ],
  GB: [
    { city: 'London', region: 'Greater London', postcodes: ['SW4 7JQ', 'N1 8QH', 'E8 3PN', 'SE15 4TR'], dial: '' },
    { city: 'Manchester', region: 'Greater Manchester', postcodes: ['M20 2RN', 'M14 5SX'], dial: '' },
    { city: 'Leeds', region: 'West Yorkshire', postcodes: ['LS6 2AB', 'LS8 1DP'], dial: '' },
    { city: 'Bristol', region: 'Bristol', postcodes: ['BS6 5BZ', 'BS3 1QX'], dial: '' },
    { city: 'Edinburgh', region: 'Scotland', postcodes: ['EH9 1QS', 'EH6 5JG'], dial: '' },
    { city: 'Cardiff', region: 'Wales', postcodes: ['CF24 4HQ', 'CF11 9DX'], dial: '' },
    { city: 'Brighton', region: 'East Sussex', postcodes: ['BN1 4GH', 'BN2 1TW'], dial: '' },
    { city: 'York', region: 'North Yorkshire', postcodes: ['YO10 3BP', 'YO31 7EG'], dial: '' },
    { city: 'Bath', region: 'Somerset', postcodes: ['BA1 2RS', 'BA2 4JT'], dial: '' },
    { city: 'Oxford', region: 'Oxfordshire', postcodes: ['OX4 1DE', 'OX2 6HL'], dial: '' },
  ],
  DE: [
    { city: 'Berlin', region: 'Berlin', postcodes: ['10115', '10437', '10999', '12047'], dial: '30' },
    { city: 'München', region: 'Bayern', postcodes: ['80331', '80469', '81667'], dial: '89' },
    { city: 'Hamburg', region: 'Hamburg', postcodes: ['20357', '22765'], dial: '40' },
    { city: 'Köln', region: 'Nordrhein-Westfalen', postcodes: ['50667', '50733'], dial: '221' },
    { city: 'Frankfurt am Main', region: 'Hessen', postcodes: ['60311', '60316'], dial: '69' },
    { city: 'Leipzig', region: 'Sachsen', postcodes: ['04109', '04275'], dial: '341' },
    { city: 'Stuttgart', region: 'Baden-Württemberg', postcodes: ['70173', '70199'], dial: '711' },
    { city: 'Freiburg im Breisgau', region: 'Baden-Württemberg', postcodes: ['79098', '79102'], dial: '761' },
  ],
  FR: [
    { city: 'Paris', region: 'Île-de-France', postcodes: ['75011', '75018', '75014'], dial: '1' },
    { city: 'Lyon', region: 'Auvergne-Rhône-Alpes', postcodes: ['69003', '69007'], dial: '4' },
    { city: 'Marseille', region: "Provence-Alpes-Côte d'Azur", postcodes: ['13006', '13001'], dial: '4' },
    { city: 'Bordeaux', region: 'Nouvelle-Aquitaine', postcodes: ['33000', '33800'], dial: '5' },
    { city: 'Lille', region: 'Hauts-de-France', postcodes: ['59000', '59800'], dial: '3' },
    { city: 'Nantes', region: 'Pays de la Loire', postcodes: ['44000', '44100'], dial: '2' },
    { city: 'Toulouse', region: 'Occitanie', postcodes: ['31000', '31400'], dial: '5' },
    { city: 'Strasbourg', region: 'Grand Est', postcodes: ['67000', '67100'], dial: '3' },
  ],
};

export const US_STREETS = [
  'Elm St', 'Maple Ave', 'Oak Dr', 'Cedar Ln', 'Lakeview Rd', 'Willow Ct', 'Pine St', 'Highland Ave', 'Park Pl',
  'Ridge Rd', '2nd St', 'Washington Ave', 'Cherry Ln', 'Sycamore St', 'Hillcrest Dr', 'Main St', 'Birch Way',
  'Juniper Ct', 'Prospect Ave', 'Orchard Rd', 'Franklin St', 'Magnolia Blvd', 'Chestnut St', 'Meadow Ln',
];
export const CA_STREETS = [
  'Queen St E', 'Dundas St W', 'Main St', 'Maple Cres', 'Rue Saint-Denis', 'Oak Bay Ave', 'Kensington Rd NW',
  'Spring Garden Rd', 'Bank St', 'Corydon Ave', 'Commercial Dr', 'Avenue du Parc',
];
export const GB_STREETS = [
  'Mill Lane', 'Church Road', 'Victoria Street', 'Station Road', 'Kingsway', 'Albert Terrace', 'Queens Crescent',
  'High Street', 'Park Avenue', 'Orchard Close', 'Willow Grove', 'Clarence Road', 'Marlborough Place',
];
export const DE_STREETS = [
  'Hauptstraße', 'Lindenallee', 'Bergmannstraße', 'Schillerstraße', 'Goethestraße', 'Kastanienallee', 'Am Markt',
  'Gartenweg', 'Rosenstraße', 'Bahnhofstraße', 'Mühlenweg', 'Friedrichstraße',
];
export const FR_STREETS = [
  'rue de la République', 'avenue Jean Jaurès', 'rue Oberkampf', 'boulevard Voltaire', 'rue des Lilas',
  'rue Victor Hugo', 'place du Marché', 'rue Pasteur', 'allée des Tilleuls', 'rue du Faubourg Saint-Antoine',
];

export const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['example.com', 50],
  ['example.org', 18],
  ['example.net', 12],
  ['mail.example.net', 12],
  ['post.example.org', 8],
];

export interface Product {
  sku: string;
  name: string;
  price_cents: number;
}

// Home & outdoor catalogue: SKU prefix by department.
const CATALOG: readonly Product[] = [
  // Kitchen & dining
  { sku: 'KIT-1012-BLK', name: 'Cast Iron Skillet 12"', price_cents: 4200 },
  { sku: 'KIT-1015-SGE', name: 'Enamelled Dutch Oven 5.5 qt – Sage', price_cents: 12900 },
  { sku: 'KIT-1021', name: 'Bamboo Cutting Board Set (3 pc)', price_cents: 3400 },
  { sku: 'KIT-1033-MAT', name: 'Gooseneck Pour-Over Kettle – Matte Black', price_cents: 5900 },
  { sku: 'KIT-1040-WHT', name: 'Stoneware Dinner Plates (Set of 4) – Chalk', price_cents: 4800 },
  { sku: 'KIT-1046-OAT', name: 'Linen Napkins (Set of 6) – Oat', price_cents: 3600 },
  { sku: 'KIT-1052', name: 'Glass Food Storage Containers (10 pc)', price_cents: 3900 },
  { sku: 'KIT-1058', name: 'Chef Knife 8" Damascus', price_cents: 8900 },
  { sku: 'KIT-1063-TEA', name: 'Ceramic Mixing Bowls (Set of 3) – Teal', price_cents: 4400 },
  { sku: 'KIT-1071', name: 'Stainless Steel Cookware Set (10 pc)', price_cents: 32900 },
  { sku: 'KIT-1077', name: 'Walnut Serving Board', price_cents: 6200 },
  { sku: 'KIT-1084', name: 'French Press 34 oz', price_cents: 2900 },
  // Bedding & bath
  { sku: 'BED-2004-WHT-Q', name: 'Percale Sheet Set Queen – White', price_cents: 11900 },
  { sku: 'BED-2004-SLT-K', name: 'Percale Sheet Set King – Slate', price_cents: 13900 },
  { sku: 'BED-2011-K', name: 'Down Alternative Duvet King', price_cents: 16900 },
  { sku: 'BED-2018-CHR', name: 'Merino Wool Throw – Charcoal', price_cents: 8900 },
  { sku: 'BED-2025', name: 'Weighted Blanket 15 lb', price_cents: 14900 },
  { sku: 'BTH-2032-SND', name: 'Waffle Bath Towels (Set of 4) – Sand', price_cents: 5600 },
  { sku: 'BTH-2039', name: 'Teak Shower Bench', price_cents: 9800 },
  { sku: 'BED-2046-Q', name: 'Memory Foam Pillow (2-pack)', price_cents: 7900 },
  // Home decor, lighting & storage
  { sku: 'DEC-3003', name: 'Jute Area Rug 5x8', price_cents: 18900 },
  { sku: 'DEC-3008', name: 'Hand-Woven Wool Rug 8x10 – Ivory', price_cents: 54900 },
  { sku: 'LGT-3015-TRR', name: 'Ceramic Table Lamp – Terracotta', price_cents: 8900 },
  { sku: 'LGT-3022', name: 'Rattan Pendant Light 18"', price_cents: 12400 },
  { sku: 'LGT-3027-BRS', name: 'Arc Floor Lamp – Brass', price_cents: 21900 },
  { sku: 'STO-3031', name: 'Woven Seagrass Baskets (Set of 3)', price_cents: 6900 },
  { sku: 'STO-3036', name: 'Oak Entryway Bench with Storage', price_cents: 27900 },
  { sku: 'DEC-3042', name: 'Coir Doormat "Hello"', price_cents: 2400 },
  { sku: 'DEC-3048', name: 'Round Wall Mirror 30" – Black', price_cents: 14900 },
  { sku: 'DEC-3055-SGE', name: 'Linen Throw Pillow Cover 20" – Sage', price_cents: 2800 },
  { sku: 'DEC-3061', name: 'Soy Candle Trio – Cedar & Fig', price_cents: 3800 },
  { sku: 'HOM-3070', name: 'HEPA Air Purifier (500 sq ft)', price_cents: 23900 },
  // Patio & outdoor living
  { sku: 'PAT-4002-TEK', name: 'Teak Folding Bistro Set (3 pc)', price_cents: 38900 },
  { sku: 'PAT-4009-NAT', name: 'Acacia Adirondack Chair', price_cents: 19900 },
  { sku: 'PAT-4015', name: 'Outdoor String Lights 48 ft', price_cents: 4900 },
  { sku: 'PAT-4021', name: 'Steel Fire Pit 30"', price_cents: 17900 },
  { sku: 'PAT-4028', name: 'Propane Patio Heater', price_cents: 26900 },
  { sku: 'PAT-4034-GRY', name: 'Cast Aluminum Dining Table 72" – Graphite', price_cents: 64900 },
  { sku: 'PAT-4040-NVY', name: 'Cotton Rope Hammock with Stand – Navy', price_cents: 22900 },
  { sku: 'PAT-4047', name: 'Offset Patio Umbrella 10 ft', price_cents: 21400 },
  { sku: 'PAT-4053', name: 'Outdoor Cushion Set (4) – Spa Blue', price_cents: 11900 },
  { sku: 'GRL-4060', name: 'Kamado Ceramic Grill 18"', price_cents: 64900 },
  { sku: 'GRL-4066', name: '3-Burner Gas Grill', price_cents: 44900 },
  { sku: 'GRL-4071', name: 'Heavy-Duty Grill Cover 60"', price_cents: 3900 },
  { sku: 'GRL-4075', name: 'Grilling Tool Set (5 pc)', price_cents: 4600 },
  // Garden
  { sku: 'GDN-5004', name: 'Cedar Raised Garden Bed 4x8', price_cents: 15900 },
  { sku: 'GDN-5011', name: 'Expandable Garden Hose 50 ft', price_cents: 3900 },
  { sku: 'GDN-5016-CU', name: 'Copper-Roof Bird Feeder', price_cents: 4200 },
  { sku: 'GDN-5022', name: 'Rain Barrel 50 gal', price_cents: 11400 },
  { sku: 'GDN-5029', name: 'Bypass Pruning Shears', price_cents: 2600 },
  { sku: 'GDN-5033', name: 'Solar Path Lights (8-pack)', price_cents: 4500 },
  { sku: 'GDN-5040', name: 'Cordless Leaf Blower 40V', price_cents: 17900 },
  { sku: 'GDN-5046', name: 'Terracotta Planter Set (3)', price_cents: 5400 },
  { sku: 'GDN-5051', name: 'Smart Sprinkler Controller', price_cents: 14900 },
  { sku: 'GDN-5057', name: 'Galvanized Watering Can 2 gal', price_cents: 3200 },
  { sku: 'GDN-5062', name: 'Compost Tumbler 37 gal', price_cents: 12900 },
  // Camping
  { sku: 'CMP-6003-GRN', name: '2-Person Backpacking Tent – Moss', price_cents: 21900 },
  { sku: 'CMP-6008-OLV', name: 'Insulated Camp Tumbler 20 oz – Olive', price_cents: 2900 },
  { sku: 'CMP-6014', name: 'Down Sleeping Bag 20°F', price_cents: 24900 },
  { sku: 'CMP-6019', name: 'Two-Burner Camp Stove', price_cents: 13900 },
  { sku: 'CMP-6025', name: 'Rotomolded Cooler 45 qt', price_cents: 27900 },
  { sku: 'CMP-6031', name: 'LED Camp Lantern', price_cents: 3400 },
  { sku: 'CMP-6036', name: 'Folding Camp Chair (2-pack)', price_cents: 8900 },
  { sku: 'CMP-6042', name: '6-Person Cabin Tent', price_cents: 42900 },
];

export const CARRIERS_BY_COUNTRY: Record<Country, readonly (readonly [string, number])[]> = {
  US: [
    ['UPS', 40],
    ['FedEx', 25],
    ['USPS', 35],
  ],
  CA: [
    ['UPS', 60],
    ['FedEx', 40],
  ],
  GB: [
    ['Royal Mail', 70],
    ['DHL', 30],
  ],
  DE: [
    ['DHL', 80],
    ['UPS', 20],
  ],
  FR: [
    ['DHL', 60],
    ['UPS', 40],
  ],
};

// Where parcels leave from, and the hubs they pass through.
export const ORIGIN: Record<Country, readonly string[]> = {
  US: ['Reno, NV, US', 'Columbus, OH, US'],
  CA: ['Columbus, OH, US'],
  GB: ['Daventry, GB'],
  DE: ['Venlo, NL'],
  FR: ['Venlo, NL'],
};

// Sorting hubs by destination country and carrier.
export const HUBS: Record<Country, Record<string, readonly string[]>> = {
  US: {
    UPS: ['Louisville, KY, US', 'Hodgkins, IL, US', 'Ontario, CA, US', 'Dallas, TX, US'],
    FedEx: ['Memphis, TN, US', 'Indianapolis, IN, US', 'Oakland, CA, US'],
    USPS: ['Chicago, IL, US', 'Denver, CO, US', 'Atlanta, GA, US', 'Jersey City, NJ, US'],
  },
  // Cross-border from Ohio: the US hub, then the Canadian gateway (in this order).
  CA: {
    UPS: ['Louisville, KY, US', 'Mississauga, ON, CA'],
    FedEx: ['Memphis, TN, US', 'Mississauga, ON, CA'],
  },
  GB: {
    'Royal Mail': ['Warrington Mail Centre, GB', 'Princess Royal DC, London, GB', 'Bristol Mail Centre, GB'],
    DHL: ['East Midlands, GB', 'Coventry, GB'],
  },
  DE: {
    DHL: ['Leipzig, DE', 'Cologne, DE', 'Hanover, DE'],
    UPS: ['Cologne, DE', 'Neuss, DE'],
  },
  FR: {
    DHL: ['Leipzig, DE', 'Roissy-CDG, FR'],
    UPS: ['Cologne, DE', 'Paris-Nord, FR'],
  },
};

export const AGENTS = [
  { username: 'maya.ortiz', display_name: 'Maya Ortiz', email: 'maya.ortiz@support.example.com' },
  { username: 'sam.keller', display_name: 'Sam Keller', email: 'sam.keller@support.example.com' },
  { username: 'priya.raman', display_name: 'Priya Raman', email: 'priya.raman@support.example.com' },
] as const;

export const PLANS = [
  { plan: 'Plus monthly', tier: 'plus', price_cents: 999, interval: 'month' },
  { plan: 'Plus yearly', tier: 'plus', price_cents: 9900, interval: 'year' },
  { plan: 'Gold monthly', tier: 'gold', price_cents: 1999, interval: 'month' },
  { plan: 'Gold yearly', tier: 'gold', price_cents: 19900, interval: 'year' },
] as const;

// Cheap things sell more often than patio sets.
export const CATALOG_WEIGHTS = CATALOG.map((p) => [p, 1 / Math.sqrt(p.price_cents / 100) - 0.03] as const);
