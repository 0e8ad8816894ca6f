//! Everyday prompts and answers for the ordinary workloads.
//!
//! Ordinary text deliberately avoids the phrases the prompt rules look for (training
//! data, system prompt, model weights, instruction overrides, jailbreak role names) and
//! keeps every prompt well under 1,000 characters, so benign traffic stays quiet.

/// Customer-support chat (prod app, Converse).
pub const CHAT_SYSTEM: &str = "You are the Acme Outfitters support assistant. Be concise and friendly. Answer questions about orders, shipping, returns, sizing and store hours. Never ask for full card numbers. If a request needs account changes, offer to hand the chat to a human agent.";

pub const CHAT: &[(&str, &str)] = &[
    ("Where is my order 4471-2290? It was supposed to arrive yesterday.", "I'm sorry it's late. Order 4471-2290 left our Reno warehouse on Tuesday and the carrier shows it out for delivery today. You'll get a text when it arrives."),
    ("Can I return hiking boots that I wore once outside?", "Yes. Footwear can be returned within 60 days if it is clean and in resellable condition. Start the return from Orders > Return an item and print the prepaid label."),
    ("Do you ship to Canada?", "We ship to all Canadian provinces. Standard shipping takes 5-8 business days and duties are calculated at checkout, so there are no surprise fees at the door."),
    ("What size rain jacket should I get if I'm 5'10 and 170 lb?", "Most customers at your height and weight wear a Medium in the Storm Shell. If you like to layer a fleece underneath, size up to Large."),
    ("My promo code FALL20 isn't working.", "FALL20 applies to full-price items only and expired on October 1st. I can see your cart has two sale items, which is why it was rejected."),
    ("How long does a refund take after you get the return?", "Refunds are issued within 2 business days of the return being scanned at our warehouse. Your bank may take another 3-5 days to show it."),
    ("Is the Summit 40L backpack waterproof?", "The Summit 40L is water resistant with a coated nylon shell and sealed zippers. For heavy rain we recommend the included rain cover."),
    ("Can I change the shipping address on an order I placed an hour ago?", "Orders can be edited for two hours after checkout. I can hand you to an agent now to update the address before it ships."),
    ("What are the store hours in Portland this weekend?", "Our Portland store is open 9am-8pm on Saturday and 10am-6pm on Sunday."),
    ("I got the wrong color tent. What do I do?", "Sorry about that! Reply with a photo of the label and we'll ship the correct color today and email a prepaid label for the wrong one."),
    ("Do you price match?", "We match the price of identical items sold by major outdoor retailers within 14 days of purchase. Share a link to the lower price and we'll refund the difference."),
    ("Are your down jackets ethically sourced?", "Yes, all our down is certified to the Responsible Down Standard, which audits farms for animal welfare."),
    ("How do I wash a merino base layer?", "Machine wash cold on a gentle cycle, lay flat to dry and skip the fabric softener. Merino stays fresh for several wears between washes."),
    ("My account is locked after too many login attempts.", "For security, accounts unlock automatically after 30 minutes. You can also reset your password from the sign-in page right away."),
    ("Can I buy a gift card and send it by email?", "Yes, e-gift cards from $25 to $500 are delivered by email within minutes. You can schedule delivery for a specific date too."),
    ("What's the warranty on trekking poles?", "Trekking poles carry a 2-year warranty against manufacturing defects. Bent shafts from falls are not covered, but replacement sections are available."),
    ("Do you have the trail runners in wide sizes?", "The Ridge Runner comes in wide (2E) for sizes 8 to 13. Filter by width on the product page to see what's in stock."),
    ("Why was I charged twice?", "The second line is a temporary authorization from when the card was first checked. It drops off within 3 business days and only one charge will post."),
    ("Is free shipping available?", "Orders over $75 ship free within the contiguous US. Members get free shipping on every order."),
    ("Can I pick up my online order in store?", "Yes, choose Store Pickup at checkout. Most orders are ready within 4 hours and we hold them for 7 days."),
    ("How do I join the membership program?", "Membership is free. Create an account, open Rewards and tap Join. You'll earn 5% back on full-price purchases."),
    ("The zipper on my duffel broke after a month.", "That's covered by our 1-year quality promise. Send a photo through the Repairs form and we'll repair or replace the duffel at no cost."),
    ("Do you sell replacement tent poles?", "We do. Search for your tent model and open the Parts tab to see poles, stakes and rainfly replacements."),
    ("What is your phone number?", "You can reach our support team at 1-800-555-0142, 7am-10pm Pacific every day."),
];

/// Internal document summariser (prod app, InvokeModel / InvokeModelWithResponseStream).
pub const SUMMARY_INSTRUCTION: &str =
    "Summarize the following document in three bullet points for the internal weekly digest.";

pub const DOCS: &[(&str, &str)] = &[
    ("Q3 returns review. Return rate fell from 11.2% to 9.8% after size charts were added to every apparel page. Footwear returns remain highest at 14%, mostly for fit. The team proposes a virtual fit quiz for the Ridge Runner line and a pilot of printed fit notes in boxes.", "- Return rate dropped to 9.8% after adding size charts.\n- Footwear is still the highest at 14%, driven by fit.\n- Next steps: fit quiz for Ridge Runner and printed fit notes."),
    ("Warehouse safety bulletin. Forklift lane markings in Reno aisles 12-18 will be repainted on Saturday night. Pickers must use the temporary route posted at each aisle end. Report any blocked emergency exits to the shift lead immediately.", "- Reno aisles 12-18 get new forklift markings Saturday night.\n- Use the posted temporary picking route.\n- Report blocked exits to the shift lead right away."),
    ("Meeting notes, merchandising sync. Winter catalog photos are final. The insulated bottle launch moves to November 4 because of a lid supplier delay. Marketing wants two extra colorways for the Storm Shell; sourcing will confirm costs by Friday.", "- Winter catalog photos are approved.\n- Insulated bottle launch slips to November 4.\n- Sourcing confirms costs for two new Storm Shell colors by Friday."),
    ("Incident summary. On Tuesday checkout latency rose to 4 seconds for 23 minutes after a cache node was replaced. Orders were not lost. The fix was to pre-warm replacement nodes before adding them to the pool.", "- Checkout latency hit 4s for 23 minutes on Tuesday.\n- No orders were lost.\n- Replacement cache nodes will now be pre-warmed."),
    ("Store operations update. Portland and Boise will pilot self-checkout kiosks in November. Staff training runs the week of October 20. Feedback forms will be collected weekly for the first month.", "- Portland and Boise pilot self-checkout in November.\n- Staff training the week of October 20.\n- Weekly feedback during the first month."),
    ("Vendor review: TrailTex Fabrics. On-time delivery was 96% this quarter, up from 91%. Defect rate held at 0.4%. Contract renewal is recommended with a clause for recycled nylon options in 2027.", "- TrailTex on-time delivery improved to 96%.\n- Defect rate steady at 0.4%.\n- Renew, adding recycled nylon options for 2027."),
    ("HR reminder. Open enrollment for benefits runs October 14-28. Changes take effect January 1. Employees who do nothing keep their current medical plan but must re-enroll in the flexible spending account.", "- Benefits open enrollment is October 14-28.\n- Changes start January 1.\n- FSA needs active re-enrollment."),
    ("Customer feedback digest. Shoppers praise the new product videos but find the mobile filter menu hard to close. Several reviews ask for longer sleeves on tall sizes. Delivery speed ratings are up 6 points.", "- Product videos are well received.\n- Mobile filter menu needs a clearer close button.\n- Tall sizes need longer sleeves; delivery ratings rose 6 points."),
    ("Sustainability report excerpt. 42% of packaging is now recycled cardboard. Plastic mailers will be phased out by mid-2027. Store lighting upgrades cut electricity use by 18% year over year.", "- 42% of packaging is recycled cardboard.\n- Plastic mailers end by mid-2027.\n- Lighting upgrades cut store power use 18%."),
    ("IT change notice. The VPN client will be updated to version 7.2 on October 16. Laptops will restart once after the update. Contact the help desk if the client does not reconnect.", "- VPN client moves to 7.2 on October 16.\n- Expect one laptop restart.\n- Call the help desk if it fails to reconnect."),
];

/// Help-center FAQ bot (prod, legacy Claude v2 text completions; user text in `<input>`).
pub const FAQ_TEMPLATE_HEAD: &str = "\n\nHuman: You are the Acme Outfitters help center assistant. Answer using only the articles below. If the answer is not in the articles, say you will connect the customer with an agent.\n<articles>\n";
pub const FAQ_ARTICLES: &[&str] = &[
    "Returns: unused items within 60 days; footwear and packs if clean.",
    "Shipping: free over $75; standard 3-5 business days; express 1-2 days.",
    "Membership: free; 5% back on full-price items; birthday coupon.",
    "Repairs: 1-year quality promise on bags, packs and tents.",
    "Gift cards: e-gift $25-$500; no expiry; not redeemable for cash.",
];
pub const FAQ_TEMPLATE_TAIL: &str = "</articles>\nCustomer message: <input>";
pub const FAQ_TEMPLATE_END: &str = "</input>\n\nAssistant:";

/// The help-center prompt with the customer's text inside `<input>…</input>`.
pub fn faq_prompt(question: &str) -> String {
    format!(
        "{FAQ_TEMPLATE_HEAD}{}\n{FAQ_TEMPLATE_TAIL}{question}{FAQ_TEMPLATE_END}",
        FAQ_ARTICLES.join("\n")
    )
}

pub const FAQ: &[(&str, &str)] = &[
    ("how long do i have to return a jacket", "You can return unused items within 60 days of delivery."),
    ("is express shipping available", "Yes, express shipping arrives in 1-2 business days."),
    ("do gift cards expire?", "No, Acme gift cards never expire."),
    ("my tent pole snapped, can you fix it", "Tents are covered by our 1-year quality promise. I'll connect you with an agent to start a repair."),
    ("what do members get", "Membership is free and earns 5% back on full-price items, plus a birthday coupon."),
    ("can I return boots I tried on outside", "Footwear can be returned within 60 days if it is clean."),
    ("how much is shipping to Ohio", "Shipping is free on orders over $75; otherwise standard rates apply at checkout."),
    ("can I get cash for a gift card", "Gift cards can't be exchanged for cash, but they never expire."),
    ("I want to talk to a person", "Of course, I'll connect you with an agent now."),
    ("do you repair backpacks", "Yes, packs are covered by the 1-year quality promise."),
    ("what's the birthday coupon", "Members receive a birthday coupon by email each year."),
    ("when will standard shipping arrive", "Standard shipping takes 3-5 business days."),
    ("can I use two gift cards on one order", "Yes, you can apply more than one gift card at checkout."),
    ("is there a restocking fee", "There is no restocking fee on returns within 60 days."),
];

/// Product copy rewriting (prod batch job, Amazon Titan Text).
pub const TITAN_INSTRUCTION: &str = "Rewrite the following product description for the online store. Keep it under 60 words and keep every size and material.";

pub const PRODUCTS: &[(&str, &str)] = &[
    ("storm shell jacket 2.5 layer nylon ripstop, pit zips, helmet compatible hood, sizes XS-XXL, 340g", "Stay dry on stormy ridgelines in the Storm Shell: 2.5-layer nylon ripstop, pit zips for airflow and a helmet-compatible hood. Just 340 g. Sizes XS-XXL."),
    ("summit 40L pack, 420D recycled nylon, hip belt pockets, hydration sleeve, rain cover incl.", "The Summit 40L carries a weekend in 420D recycled nylon, with hip-belt pockets, a hydration sleeve and an included rain cover."),
    ("ridge runner trail shoe, 6mm drop, vibram sole, sizes 7-13, wide 8-13", "Grip and go in the Ridge Runner: a 6 mm drop, Vibram outsole and sizes 7-13, with wide fits from 8 to 13."),
    ("merino crew base layer 200gsm, flatlock seams, sizes S-XL", "Our 200 gsm merino crew regulates temperature and resists odor, with flatlock seams for all-day comfort. Sizes S-XL."),
    ("trail 2 tent, 2 person, 1.6kg, aluminum poles, two doors", "Two doors, two vestibules, 1.6 kg: the Trail 2 sets up fast on aluminum poles for two people."),
    ("insulated bottle 750ml stainless, keeps cold 24h hot 12h", "This 750 ml stainless bottle keeps drinks cold for 24 hours or hot for 12."),
    ("down puffy 800 fill RDS certified, packs into pocket, sizes XS-XL", "Warmth that packs into its own pocket: 800-fill RDS-certified down. Sizes XS-XL."),
    ("camp chair, aluminum frame, 120kg capacity, 900g", "A 900 g aluminum-frame camp chair that holds up to 120 kg."),
    ("headlamp 400 lumen usb-c rechargeable ipx4", "Light the trail with 400 lumens, USB-C charging and IPX4 weather resistance."),
    ("fleece quarter zip 100wt recycled polyester, sizes XS-XXL", "A classic quarter-zip in 100-weight recycled polyester fleece. Sizes XS-XXL."),
    ("trekking poles carbon 3 section cork grips 480g pair", "Three-section carbon poles with cork grips, just 480 g per pair."),
    ("rain pants full side zips, 2.5 layer, sizes S-XXL", "Full side zips let you pull these 2.5-layer rain pants on over boots. Sizes S-XXL."),
];

/// Developer sandbox experiments (dev, Converse from a notebook).
pub const DEV: &[(&str, &str)] = &[
    ("Write a Python function that validates a US ZIP code, including ZIP+4.", "```python\nimport re\n\ndef is_zip(s: str) -> bool:\n    return re.fullmatch(r\"\\d{5}(-\\d{4})?\", s) is not None\n```"),
    ("Convert this SQL to pandas: SELECT sku, SUM(qty) FROM sales GROUP BY sku ORDER BY 2 DESC LIMIT 10", "```python\ndf.groupby(\"sku\")[\"qty\"].sum().sort_values(ascending=False).head(10)\n```"),
    ("Explain what a Bloom filter is in two sentences.", "A Bloom filter is a compact bit array that answers set membership with no false negatives and a tunable false-positive rate. It trades exactness for memory."),
    ("Give me a regex that matches ISO 8601 dates like 2026-10-05.", "`^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$`"),
    ("What's the difference between a process and a thread?", "A process has its own address space; threads share the address space of their process and are cheaper to create and switch."),
    ("Draft a commit message for adding retry with jitter to the inventory client.", "Add jittered exponential retry to inventory client\n\nRetries idempotent calls up to 4 times with full jitter to avoid thundering herds."),
    ("Summarize the CAP theorem for a new engineer.", "In a network partition a distributed store must choose between consistency and availability; without partitions you can have both."),
    ("Write a bash one-liner to count lines in all .py files under src.", "`find src -name '*.py' -print0 | xargs -0 wc -l | tail -n 1`"),
    ("Suggest three names for an internal tool that tracks shipments.", "ParcelPulse, Waybill, TrackSmith."),
    ("How do I paginate a DynamoDB query in boto3?", "Loop while the response has LastEvaluatedKey and pass it back as ExclusiveStartKey, or use the client's get_paginator('query')."),
    ("Rewrite this error message to be friendlier: ERR_CART_EMPTY", "Your cart is empty. Add an item to continue to checkout."),
    ("What HTTP status should an API return for a duplicate order id?", "409 Conflict, with a body that names the existing order."),
];

/// Synthetic monitoring probe of the staging chat app.
pub const CANARY: (&str, &str) = ("Health check: reply with the single word OK.", "OK");

/// Data scientist in the console playground (dev).
pub const ANALYST: &[(&str, &str)] = &[
    ("Explain the difference between precision and recall with a retail example.", "Precision is how many predicted churners really churn; recall is how many real churners we caught. A promo list favors precision, a retention call list favors recall."),
    ("Suggest features for predicting whether a customer returns an item.", "Past return rate, item category, size purchased versus usual size, discount depth, delivery delay and review sentiment."),
    ("How should I handle class imbalance in a fraud model?", "Use stratified splits, evaluate with PR-AUC, try class weights or focal loss, and calibrate thresholds on a holdout set."),
    ("What's a good way to explain SHAP values to a merchandiser?", "Each bar shows how much one factor pushed this prediction up or down compared with an average product."),
    ("Write a SQL query for weekly active customers.", "SELECT date_trunc('week', order_ts) AS wk, COUNT(DISTINCT customer_id) FROM orders GROUP BY 1 ORDER BY 1;"),
    ("Compare ARIMA and gradient boosting for weekly demand forecasts.", "ARIMA captures autocorrelation with few series; boosting scales to thousands of SKUs and mixes in promotions and weather."),
    ("What sample size do I need to detect a 2% lift in conversion?", "At a 10% baseline, 80% power and alpha 0.05, roughly 35,000 visitors per arm."),
    ("Draft an outline for a churn analysis readout.", "1. Question and scope 2. Data and definitions 3. Key drivers 4. Segments at risk 5. Recommended actions 6. Next experiments."),
    ("How do I detect drift in a deployed classifier?", "Track population stability index on key features and monitor calibration of predicted probabilities against outcomes."),
    ("Summarize what embeddings are in one paragraph.", "Embeddings map items like words or products to vectors so that similar things sit close together, which makes search and clustering simple."),
];

/// EU retrieval pilot (dev, eu-west-1, Converse with guardContent).
pub const EU_SYSTEM: &str = "Answer using only the policy excerpts in the message. Cite the section number. If the excerpts do not answer the question, say so.";
pub const EU: &[(&str, &str, &str)] = &[
    (
        "§4.2 Employees may work remotely up to three days per week with manager approval.",
        "How many remote days can I take?",
        "Up to three days per week with your manager's approval (§4.2).",
    ),
    (
        "§7.1 Annual leave requests must be submitted at least ten working days in advance.",
        "How early do I request leave?",
        "At least ten working days ahead (§7.1).",
    ),
    (
        "§2.3 Expense claims are reimbursed within 30 days of approval.",
        "When are expenses paid back?",
        "Within 30 days of approval (§2.3).",
    ),
    (
        "§9.4 Company laptops must use full-disk encryption and auto-lock after 5 minutes.",
        "Do laptops need encryption?",
        "Yes, full-disk encryption and a 5-minute auto-lock are required (§9.4).",
    ),
    (
        "§5.5 Parental leave is 16 weeks at full pay for all parents.",
        "How long is parental leave?",
        "16 weeks at full pay (§5.5).",
    ),
    (
        "§3.8 Business travel must be booked through the travel portal.",
        "Can I book my own flights?",
        "No, travel is booked through the travel portal (§3.8).",
    ),
    (
        "§6.1 Training budgets are 1,200 EUR per employee per year.",
        "What is my learning budget?",
        "1,200 EUR per year (§6.1).",
    ),
    (
        "§8.2 Visitors must be signed in at reception and escorted.",
        "Can guests walk around the office?",
        "Visitors must sign in and be escorted (§8.2).",
    ),
];

/// Sentences for composing longer, varied documents in the bulk set.
pub const FILLER: &[&str] = &[
    "The quarterly review covers sales, returns and fulfilment for all regions.",
    "Inventory turns improved in outerwear while accessories stayed flat.",
    "Customers asked for clearer sizing on technical shells.",
    "The Reno warehouse shipped 18% more parcels than last year.",
    "Average delivery time fell to 3.1 days for standard shipping.",
    "Store staff reported strong interest in repair services.",
    "The loyalty program added forty thousand members this month.",
    "Payment failures were concentrated in one card network for two hours.",
    "The mobile app rating rose to 4.7 after the checkout redesign.",
    "Supplier lead times for insulated jackets remain long.",
    "Marketing will test shorter subject lines in the weekly email.",
    "Please keep answers short and cite the relevant section.",
    "List any open questions at the end of the summary.",
    "Use plain language suitable for store associates.",
    "Highlight numbers that changed by more than five percent.",
];
